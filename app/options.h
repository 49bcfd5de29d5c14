#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace DocRay {


// What `doc-ray [--server] ...` was asked to do. Every option can also come
// from a DOCRAY_* environment variable (for containers); the command line wins.
struct ServiceOptions {
    bool server = false;
    QString host;           // empty: 127.0.0.1 for the desktop, 0.0.0.0 for --server
    quint16 port = 8639;
    QString dataDir;
    QString databaseUrl;    // postgresql://...: a cluster replica on that database; empty: SQLite in dataDir
    int batchPages = 32;    // pages per batch of a large PDF, spread over workers and replicas
    int leaseSeconds = 30;  // cluster: a dead replica's work is taken over after this long
    int workers = 0;        // 0: one per core
    int jobTtlSeconds = 1800;
    int cleanupIntervalSeconds = 300;
    int maxUploadMb = 200;
    int jobTimeoutSeconds = 300;
    int workerMemoryMb = 2048;
    int maxPages = 2000;
    int maxQueuedJobs = 1000;
    QString apiKey;         // empty: no authentication
    QString device = QStringLiteral("auto"); // page tensors: auto, cpu or cuda
    bool jsonLogs = false;          // --log-format json
    QStringList callbackAllowHosts; // hosts a callback_url may name
    QStringList files;      // desktop only: documents to add at start (`doc-ray a.pdf b.png`)

    QString effectiveHost() const;
};

enum class RunMode { Desktop, Server, Convert, Worker };

// Decided from argv before any application object exists, so the server
// never creates a QApplication.
RunMode runModeFromArguments(int argc, char **argv);

// Parses the service's options; on a usage error returns nullopt with
// `error` set. Handles --help and --version itself (exits). What neither the
// command line nor the environment sets comes from `defaults` (the desktop
// passes its saved settings there).
std::optional<ServiceOptions> parseServiceOptions(const QStringList &arguments, QString *error,
                                                  const ServiceOptions &defaults = ServiceOptions());

} // namespace DocRay
