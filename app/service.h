#pragma once

#include "app/options.h"
#include "engine/core/result.h"

#include <QObject>
#include <QUrl>

#include <memory>

namespace DocRay {

class ApiServer;
class JobStateManager;

// Wires the job store, the JobStateManager and the REST API together; the
// desktop window and the headless server both start one. Main thread.
class Service final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Service)

public:
    explicit Service(const ServiceOptions &options, QObject *parent = nullptr);
    ~Service() override;

    // Opens the store and resumes unfinished jobs.
    Result<void> startJobs();
    // Starts the REST API (Unavailable when, say, the port is taken).
    Result<void> startApi();

    JobStateManager *jobs() const { return m_jobs.get(); }
    QUrl apiUrl() const; // empty when the API is not listening
    // What the parsers will really use, as a worker process sees it.
    QString device() const { return m_device; }

private:
    ServiceOptions m_options;
    QString m_device;
    std::unique_ptr<JobStateManager> m_jobs;
    std::unique_ptr<ApiServer> m_api;
};

} // namespace DocRay
