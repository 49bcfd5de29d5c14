#include "httpserver/metrics.h"

#include "engine/jobs/jobstatemanager.h"

#include <algorithm>

namespace DocRay {

namespace {

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 10);
}

// Label values are quoted strings in which \, " and newlines are escaped.
QByteArray label(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

void family(QByteArray *out, const char *name, const char *type, const char *help)
{
    *out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void sample(QByteArray *out, const char *name, const QByteArray &labels, double value)
{
    *out += name;
    if (!labels.isEmpty())
        *out += '{' + labels + '}';
    *out += ' ' + number(value) + '\n';
}

} // namespace

Histogram::Histogram(QList<double> bounds)
    : m_bounds(std::move(bounds))
    , m_counts(m_bounds.size() + 1, 0)
{
}

void Histogram::observe(double value, int times)
{
    const auto bucket = std::lower_bound(m_bounds.cbegin(), m_bounds.cend(), value) - m_bounds.cbegin();
    m_counts[bucket] += times;
    m_total += times;
    m_sum += value * times;
}

void Histogram::render(QByteArray *out, const char *name, const char *help) const
{
    family(out, name, "histogram", help);
    const QByteArray bucket = QByteArray(name) + "_bucket";
    quint64 cumulative = 0;
    for (qsizetype i = 0; i < m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        sample(out, bucket.constData(), "le=\"" + number(m_bounds[i]) + '"', double(cumulative));
    }
    sample(out, bucket.constData(), "le=\"+Inf\"", double(m_total));
    sample(out, (QByteArray(name) + "_sum").constData(), {}, m_sum);
    sample(out, (QByteArray(name) + "_count").constData(), {}, double(m_total));
}

ApiMetrics::ApiMetrics(JobStateManager *jobs, const QString &device, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_device(device)
    , m_pageSeconds({ 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30 })
    , m_jobSeconds({ 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600 })
{
    connect(m_jobs, &JobStateManager::jobAdded, this, [this] { ++m_submitted; });
    connect(m_jobs, &JobStateManager::jobFinished, this, &ApiMetrics::onJobFinished);
}

void ApiMetrics::onJobFinished(const JobSummary &summary)
{
    if (!summary.ok) {
        ++m_failed;
        return;
    }
    ++m_completed;
    m_textLayerPages += summary.textLayerPages;
    m_ocrPages += summary.ocrPages;
    m_jobSeconds.observe(summary.parseSeconds);
    // Pages are parsed one after another; each gets the job's average.
    if (summary.pages > 0)
        m_pageSeconds.observe(summary.parseSeconds / summary.pages, summary.pages);
}

void ApiMetrics::countRequest(const QByteArray &method, const QString &route, int status)
{
    ++m_requests[QString::fromLatin1(method) + QLatin1Char('\t') + route + QLatin1Char('\t')
        + QString::number(status)];
}

QByteArray ApiMetrics::render() const
{
    const JobStateManager::Counts counts = m_jobs->counts();
    QByteArray out;
    out.reserve(8192);

    family(&out, "docray_build_info", "gauge", "Version of doc-ray and of the Qt it runs on; always 1.");
    sample(&out, "docray_build_info",
        "version=\"" DOCRAY_VERSION "\",qt=\"" + label(QString::fromLatin1(qVersion())) + '"', 1);
    family(&out, "docray_device_info", "gauge", "Device the parsers run on; always 1.");
    sample(&out, "docray_device_info", "device=\"" + label(m_device) + '"', 1);

    family(&out, "docray_jobs", "gauge", "Jobs known to the service, by state.");
    sample(&out, "docray_jobs", "state=\"queued\"", counts.queued);
    sample(&out, "docray_jobs", "state=\"running\"", counts.running);
    sample(&out, "docray_jobs", "state=\"completed\"", counts.completed);
    sample(&out, "docray_jobs", "state=\"failed\"", counts.failed);
    family(&out, "docray_queue_depth", "gauge", "Jobs waiting for a worker.");
    sample(&out, "docray_queue_depth", {}, counts.queued);
    family(&out, "docray_workers", "gauge", "Parses that may run at once.");
    sample(&out, "docray_workers", {}, m_jobs->workerCount());
    family(&out, "docray_workers_busy", "gauge", "Workers parsing right now.");
    sample(&out, "docray_workers_busy", {}, counts.running);

    family(&out, "docray_jobs_submitted_total", "counter", "Jobs submitted since the service started.");
    sample(&out, "docray_jobs_submitted_total", {}, double(m_submitted));
    family(&out, "docray_jobs_completed_total", "counter",
        "Jobs that ended completed since the service started.");
    sample(&out, "docray_jobs_completed_total", {}, double(m_completed));
    family(&out, "docray_jobs_failed_total", "counter", "Jobs that ended failed since the service started.");
    sample(&out, "docray_jobs_failed_total", {}, double(m_failed));
    family(
        &out, "docray_pages_parsed_total", "counter", "Pages of completed jobs, by how their text was read.");
    sample(&out, "docray_pages_parsed_total", "method=\"text_layer\"", double(m_textLayerPages));
    sample(&out, "docray_pages_parsed_total", "method=\"ocr\"", double(m_ocrPages));

    m_jobSeconds.render(&out, "docray_job_parse_seconds", "Time a completed job spent in the parser.");
    m_pageSeconds.render(&out, "docray_page_parse_seconds",
        "Parser time per page (each page of a job counts the job's average).");

    family(&out, "docray_http_requests_total", "counter",
        "HTTP requests answered, by method, route and status.");
    QStringList keys = m_requests.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const QStringList parts = key.split(QLatin1Char('\t'));
        sample(&out, "docray_http_requests_total",
            "method=\"" + label(parts[0]) + "\",route=\"" + label(parts[1]) + "\",status=\"" + label(parts[2])
                + '"',
            double(m_requests.value(key)));
    }
    return out;
}

} // namespace DocRay
