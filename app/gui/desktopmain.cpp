#include "app/gui/desktopmain.h"

#include "app/gui/desktopsettings.h"
#include "app/gui/mainwindow.h"
#include "app/logoutput.h"
#include "app/options.h"
#include "app/service.h"
#include "app/signals.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QSettings>

#include <cstdio>

namespace DocRay {

int runDesktop(int argc, char **argv)
{
    QApplication app(argc, argv);
    QSettings settings;
    const DesktopSettings saved = DesktopSettings::load(settings);
    applyTheme(saved.theme);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/doc-ray.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("doc-ray"));

    QString error;
    const std::optional<ServiceOptions> options
        = parseServiceOptions(QApplication::arguments(), &error, optionsFromSettings(saved));
    if (!options) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(error));
        return 2;
    }
    const LogOutput logOutput(options->jsonLogs);
    Service service(*options);
    if (const Result<void> started = service.startJobs(); !started) {
        std::fprintf(stderr, "doc-ray: %s\n", qPrintable(started.errorMessage()));
        return 1;
    }
    MainWindowSetup setup;
    if (saved.startApi)
        setup.apiStatus = service.startApi().errorMessage(); // the window works without the API and says why it is off
    else
        setup.apiStatus = QApplication::translate("main", "turned off in Settings");
    setup.apiUrl = service.apiUrl();
    setup.device = service.device();
    setup.ocrLanguages = saved.ocrLanguages;
    setup.settings = &settings;
    MainWindow window(service.jobs(), setup);
    window.show();
    QStringList files;
    for (const QString &file : options->files)
        files.append(QDir::current().absoluteFilePath(file));
    window.submitPaths(files);
    quitOnTerminationSignals(&app);
    return QApplication::exec();
}

} // namespace DocRay
