#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace DocRay {

class JobStateManager;
struct JobSummary;

// A Prometheus histogram with fixed upper bounds (seconds).
class Histogram final
{
public:
    explicit Histogram(QList<double> bounds);
    void observe(double value, int times = 1);
    void render(QByteArray *out, const char *name, const char *help) const;

private:
    QList<double> m_bounds;
    QList<quint64> m_counts; // per bucket, not cumulative
    quint64 m_total = 0;
    double m_sum = 0;
};

// The numbers behind GET /metrics: counters fed by the job layer's signals
// and by the API's own requests, gauges read from the JobStateManager when
// scraped. Lives on the main thread.
class ApiMetrics final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiMetrics)

public:
    ApiMetrics(JobStateManager *jobs, const QString &device, QObject *parent = nullptr);

    void countRequest(const QByteArray &method, const QString &route, int status);
    QByteArray render() const; // Prometheus text exposition format 0.0.4

private:
    void onJobFinished(const JobSummary &summary);

    JobStateManager *m_jobs;
    QString m_device;
    quint64 m_submitted = 0;
    quint64 m_completed = 0;
    quint64 m_failed = 0;
    quint64 m_textLayerPages = 0;
    quint64 m_ocrPages = 0;
    Histogram m_pageSeconds;
    Histogram m_jobSeconds;
    QHash<QString, quint64> m_requests; // "method\troute\tstatus" -> count
};

} // namespace DocRay
