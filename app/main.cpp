#include "app/convertcommand.h"
#include "app/gui/desktopsettings.h"
#include "app/gui/mainwindow.h"
#include "app/logoutput.h"
#include "app/options.h"
#include "app/service.h"
#include "app/workercommand.h"

#include <QApplication>
#include <QDir>
#include <QGuiApplication>
#include <QIcon>
#include <QSettings>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalPipe[2] = {-1, -1};

void onTerminationSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[0], &byte, 1);
}

// SIGTERM/SIGINT quit the event loop, so jobs in flight are left "running"
// in the store and resumed on the next start instead of being cut mid-write.
void quitOnTerminationSignals(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [app] {
        char byte = 0;
        [[maybe_unused]] const auto read = ::read(g_signalPipe[1], &byte, 1);
        app->quit();
    });
    struct sigaction action {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

bool hasDisplay()
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
    if (!service.startJobs(&error) || !service.startApi(&error)) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("doc-ray %s: API listening on %s (device %s, %d workers, data in %s)\n", DOCRAY_VERSION,
                qPrintable(service.apiUrl().toString()), qPrintable(service.device()), options->workers,
                qPrintable(options->dataDir));
    std::fflush(stdout);
    quitOnTerminationSignals(QCoreApplication::instance());
    return QCoreApplication::exec();
}

int runDesktop(const QStringList &arguments)
{
    QSettings settings;
    const DocRay::DesktopSettings saved = DocRay::DesktopSettings::load(settings);
    DocRay::applyTheme(saved.theme);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/doc-ray.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("doc-ray"));

    QString error;
    const std::optional<DocRay::ServiceOptions> options
        = DocRay::parseServiceOptions(arguments, &error, DocRay::optionsFromSettings(saved));
    if (!options) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(error));
        return 2;
    }
    const DocRay::LogOutput logOutput(options->jsonLogs);
    DocRay::Service service(*options);
    if (!service.startJobs(&error)) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(error));
        return 1;
    }
    DocRay::MainWindowSetup setup;
    if (saved.startApi)
        service.startApi(&setup.apiStatus); // the window works without the API and says why it is off
    else
        setup.apiStatus = QApplication::translate("main", "turned off in Settings");
    setup.apiUrl = service.apiUrl();
    setup.device = service.device();
    setup.ocrLanguages = saved.ocrLanguages;
    setup.settings = &settings;
    DocRay::MainWindow window(service.jobs(), setup);
    window.show();
    QStringList files;
    for (const QString &file : options->files)
        files.append(QDir::current().absoluteFilePath(file));
    window.submitPaths(files);
    quitOnTerminationSignals(QCoreApplication::instance());
    return QApplication::exec();
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
    setApplicationNames();

    DocRay::RunMode mode = DocRay::runModeFromArguments(argc, argv);
    if (mode == DocRay::RunMode::Desktop && !hasDisplay()) {
        std::fprintf(stderr, "doc-ray: no display found, running the headless server (pass --server to say so)\n");
        mode = DocRay::RunMode::Server;
    }

    if (mode == DocRay::RunMode::Desktop) {
        QApplication app(argc, argv);
        return runDesktop(QApplication::arguments());
    }
    // The engine lays out text and images with QtGui (fonts, PDF writing), so
    // the headless modes use a QGuiApplication on the display-less platform.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt wants a runtime directory even offscreen; services often run without one.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        qputenv("XDG_RUNTIME_DIR", QByteArray("/tmp/runtime-") + QByteArray::number(::getuid()));
    QGuiApplication app(argc, argv);
    if (mode == DocRay::RunMode::Convert)
        return DocRay::runConvertCommand(QGuiApplication::arguments());
    if (mode == DocRay::RunMode::Worker)
        return DocRay::runWorkerCommand(QGuiApplication::arguments());
    return runServer(QGuiApplication::arguments());
}
