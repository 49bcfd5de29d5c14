#include "app/gui/filesubmitter.h"

#include "engine/core/documentformat.h"
#include "engine/jobs/jobstatemanager.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace DocRay {

namespace {

struct Outcome {
    QStringList ids;
    QStringList refused;
};

QString supportedList()
{
    return supportedExtensions().join(QStringLiteral(", "));
}

void submitFile(JobStateManager *jobs, const QString &path, const ParserParams &params, Outcome *outcome)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        outcome->refused.append(QObject::tr("%1: cannot be read (%2)").arg(name, file.errorString()));
        return;
    }
    const QByteArray data = file.readAll();
    const FormatDetection detection = detectFormat(data, name);
    if (data.isEmpty()) {
        outcome->refused.append(QObject::tr("%1: the file is empty").arg(name));
        return;
    }
    if (!detection.parseable) {
        outcome->refused.append(
            QObject::tr("%1: not a supported document (supported: %2)").arg(name, supportedList()));
        return;
    }
    const Result<QString> id = jobs->submit(name, data, detection.format, params);
    if (!id)
        outcome->refused.append(QStringLiteral("%1: %2").arg(name, id.errorMessage()));
    else
        outcome->ids.append(*id);
}

// A folder contributes the documents in it (recursively); other files there
// are counted, not listed one by one.
void submitFolder(JobStateManager *jobs, const QString &path, const ParserParams &params, Outcome *outcome)
{
    const QStringList extensions = supportedExtensions();
    QStringList files;
    int skipped = 0;
    QDirIterator it(path, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString suffix = QLatin1Char('.') + QFileInfo(file).suffix().toLower();
        if (extensions.contains(suffix))
            files.append(file);
        else
            ++skipped;
    }
    files.sort();
    for (const QString &file : std::as_const(files))
        submitFile(jobs, file, params, outcome);
    if (files.isEmpty())
        outcome->refused.append(QObject::tr("%1: no supported documents in this folder (supported: %2)")
                                    .arg(path, supportedList()));
    else if (skipped > 0)
        outcome->refused.append(QObject::tr("%1: %n other file(s) skipped", nullptr, skipped).arg(path));
}

} // namespace

FileSubmitter::FileSubmitter(JobStateManager *jobs, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
{
    m_pool.setObjectName(QStringLiteral("docray-submit"));
    m_pool.setMaxThreadCount(1);
}

FileSubmitter::~FileSubmitter()
{
    m_pool.waitForDone();
}

void FileSubmitter::submit(const QStringList &paths, const ParserParams &params)
{
    if (paths.isEmpty())
        return;
    m_pool.start([this, paths, params] {
        Outcome outcome;
        for (const QString &path : paths) {
            const QFileInfo info(path);
            if (info.isDir())
                submitFolder(m_jobs, path, params, &outcome);
            else if (!info.exists())
                outcome.refused.append(tr("%1: no such file").arg(path));
            else
                submitFile(m_jobs, path, params, &outcome);
        }
        QMetaObject::invokeMethod(
            this, [this, outcome] { Q_EMIT submitted(outcome.ids, outcome.refused); }, Qt::QueuedConnection);
    });
}

} // namespace DocRay
