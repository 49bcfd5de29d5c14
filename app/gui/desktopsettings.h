#pragma once

#include <QString>

class QSettings;

namespace DocRay {

struct ServiceOptions;

// The desktop's saved preferences. They apply on the next start and sit
// between the built-in defaults and the environment/command line, which win.
// A plain value: read and written through whatever QSettings the caller owns.
struct DesktopSettings {
    quint16 port = 8639;
    int workers = 0; // 0: one per core
    QString ocrLanguages; // Tesseract's "eng+deu" form; empty: chosen from each page's script, as the API does
    int jobTtlSeconds = 1800; // 0: keep jobs forever
    QString dataDir; // empty: ~/.local/share/doc-ray
    bool startApi = true;
    QString theme = QStringLiteral("system"); // "system", "light" or "dark"

    static DesktopSettings load(const QSettings &settings);
    void save(QSettings &settings) const;
};

// The saved settings as the defaults parseServiceOptions starts from:
// command line > environment > settings > built-in defaults.
ServiceOptions optionsFromSettings(const DesktopSettings &settings);

// Fusion with a light or dark palette, or the platform's own look for "system".
void applyTheme(const QString &theme);

} // namespace DocRay
