#include "app/gui/desktopsettings.h"

#include "app/options.h"

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace DocRay {

namespace {

const auto keyPort = QStringLiteral("api/port");
const auto keyStartApi = QStringLiteral("api/start");
const auto keyWorkers = QStringLiteral("jobs/workers");
const auto keyTtl = QStringLiteral("jobs/ttlSeconds");
const auto keyDataDir = QStringLiteral("jobs/dataDir");
const auto keyLanguages = QStringLiteral("ocr/languages");
const auto keyTheme = QStringLiteral("appearance/theme");

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1f, 0x21, 0x23);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x80, 0x80);
    const QColor highlight(0x3d, 0x7e, 0xd6);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, disabledText);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::white);
    palette.setColor(QPalette::Light, window.lighter(150));
    palette.setColor(QPalette::Midlight, window.lighter(125));
    palette.setColor(QPalette::Mid, window.darker(120));
    palette.setColor(QPalette::Dark, window.darker(150));
    palette.setColor(QPalette::Shadow, Qt::black);
    palette.setColor(QPalette::Highlight, highlight);
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, highlight.lighter(130));
    palette.setColor(QPalette::LinkVisited, highlight.lighter(110));
    for (const auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        palette.setColor(QPalette::Disabled, role, disabledText);
    return palette;
}

} // namespace

DesktopSettings DesktopSettings::load(const QSettings &settings)
{
    DesktopSettings s;
    s.port = static_cast<quint16>(settings.value(keyPort, s.port).toUInt());
    s.startApi = settings.value(keyStartApi, s.startApi).toBool();
    s.workers = qBound(0, settings.value(keyWorkers, s.workers).toInt(), 256);
    s.jobTtlSeconds = qMax(0, settings.value(keyTtl, s.jobTtlSeconds).toInt());
    s.dataDir = settings.value(keyDataDir, s.dataDir).toString();
    s.ocrLanguages = settings.value(keyLanguages, s.ocrLanguages).toString();
    s.theme = settings.value(keyTheme, s.theme).toString();
    return s;
}

void DesktopSettings::save(QSettings &settings) const
{
    settings.setValue(keyPort, port);
    settings.setValue(keyStartApi, startApi);
    settings.setValue(keyWorkers, workers);
    settings.setValue(keyTtl, jobTtlSeconds);
    settings.setValue(keyDataDir, dataDir);
    settings.setValue(keyLanguages, ocrLanguages);
    settings.setValue(keyTheme, theme);
    settings.sync();
}

void applyTheme(const QString &theme)
{
    if (theme != QLatin1String("light") && theme != QLatin1String("dark"))
        return;
    // Fusion draws every control from the palette, so both palettes look whole.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(
        theme == QLatin1String("dark") ? darkPalette() : QApplication::style()->standardPalette());
}

ServiceOptions optionsFromSettings(const DesktopSettings &settings)
{
    ServiceOptions options;
    options.port = settings.port;
    options.workers = settings.workers;
    options.jobTtlSeconds = settings.jobTtlSeconds;
    options.dataDir = settings.dataDir;
    return options;
}

} // namespace DocRay
