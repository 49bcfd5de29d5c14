#pragma once

#include "app/gui/desktopsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace DocRay {

// Edits the DesktopSettings kept in `settings` (owned by the caller); writes
// them when accepted. Shown without blocking the window. Main thread.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(QSettings *settings, QWidget *parent = nullptr);

    DesktopSettings values() const;
    void accept() override;

private:
    void chooseDataDir();

    QSettings *m_settings;
    QSpinBox *m_port;
    QCheckBox *m_startApi;
    QSpinBox *m_workers;
    QLineEdit *m_languages;
    QSpinBox *m_ttl;
    QLineEdit *m_dataDir;
    QComboBox *m_theme;
};

} // namespace DocRay
