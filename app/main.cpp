#include "app/convertcommand.h"
#ifdef DOCRAY_WITH_GUI
#include "app/gui/desktopmain.h"
#endif
#include "app/logoutput.h"
#include "app/options.h"
#include "app/service.h"
#include "app/signals.h"
#include "app/workercommand.h"

#include <QGuiApplication>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {

[[maybe_unused]] bool hasDisplay() // desktop builds only
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("doc-ray"));
    QCoreApplication::setApplicationName(QStringLiteral("doc-ray"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DOCRAY_VERSION));
}

int runServer(const QStringList &arguments)
{
    QString error;
    const std::optional<DocRay::ServiceOptions> options = DocRay::parseServiceOptions(arguments, &error);
    if (!options) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(error));
        return 2;
    }
    const DocRay::LogOutput logOutput(options->jsonLogs);
    DocRay::Service service(*options);
    DocRay::Result<void> started = service.startJobs();
    if (started)
        started = service.startApi();
    if (!started) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(started.errorMessage()));
        return 1;
    }
    std::printf("doc-ray %s: API listening on %s (device %s, %d workers, data in %s)\n", DOCRAY_VERSION,
                qPrintable(service.apiUrl().toString()), qPrintable(service.device()), options->workers,
                qPrintable(options->dataDir));
    std::fflush(stdout);
    DocRay::quitOnTerminationSignals(QCoreApplication::instance());
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    // Tesseract's OpenMP threads would compete with the worker pool, and
    // OpenMP reads its limit when the library loads, before main: start over
    // with the limit set.
    if (qEnvironmentVariableIsEmpty("OMP_THREAD_LIMIT")) {
        ::setenv("OMP_THREAD_LIMIT", "1", 1);
        ::execv("/proc/self/exe", argv);
    }
    // LibTorch narrates through glog on stderr ("... is in beta"); warnings
    // that matter reach the job as errors. Set before any thread starts:
    // the page-tensor module may be loaded on a thread of its own.
    if (qEnvironmentVariableIsEmpty("GLOG_minloglevel"))
        qputenv("GLOG_minloglevel", "2");
    setApplicationNames();

    DocRay::RunMode mode = DocRay::runModeFromArguments(argc, argv);
#ifdef DOCRAY_WITH_GUI
    if (mode == DocRay::RunMode::Desktop && !hasDisplay()) {
        std::fprintf(stderr, "doc-ray: no display found, running the headless server (pass --server to say so)\n");
        mode = DocRay::RunMode::Server;
    }
    if (mode == DocRay::RunMode::Desktop)
        return DocRay::runDesktop(argc, argv);
#else
    if (mode == DocRay::RunMode::Desktop) {
        std::fprintf(stderr, "doc-ray: built without the desktop window, running the headless server\n");
        mode = DocRay::RunMode::Server;
    }
#endif
    // The engine lays out text and images with QtGui (fonts, PDF writing), so
    // the headless modes use a QGuiApplication on the display-less platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt wants a runtime directory even offscreen; services often run without one.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        qputenv("XDG_RUNTIME_DIR", QByteArray("/tmp/runtime-") + QByteArray::number(::getuid()));
    QGuiApplication app(argc, argv);
    if (mode == DocRay::RunMode::Convert) {
        const int status = DocRay::runConvertCommand(QGuiApplication::arguments());
        // Every output is written and closed: the system takes the memory
        // back at once. Freeing Tesseract's models and Qt's font setup one
        // piece at a time took 15-25 ms of every short conversion.
        std::fflush(nullptr);
        std::_Exit(status);
    }
    if (mode == DocRay::RunMode::Worker)
        return DocRay::runWorkerCommand(QGuiApplication::arguments());
    return runServer(QGuiApplication::arguments());
}
