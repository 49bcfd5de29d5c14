#include "app/gui/settingsdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>

namespace DocRay {

SettingsDialog::SettingsDialog(QSettings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_port(new QSpinBox(this))
    , m_startApi(new QCheckBox(tr("Start the REST API with the window"), this))
    , m_workers(new QSpinBox(this))
    , m_languages(new QLineEdit(this))
    , m_ttl(new QSpinBox(this))
    , m_dataDir(new QLineEdit(this))
    , m_theme(new QComboBox(this))
{
    setWindowTitle(tr("doc-ray Settings"));
    const DesktopSettings current = DesktopSettings::load(*m_settings);
    m_port->setObjectName(QStringLiteral("port"));
    m_startApi->setObjectName(QStringLiteral("startApi"));
    m_workers->setObjectName(QStringLiteral("workers"));
    m_languages->setObjectName(QStringLiteral("ocrLanguages"));
    m_ttl->setObjectName(QStringLiteral("jobTtl"));
    m_dataDir->setObjectName(QStringLiteral("dataDir"));
    m_theme->setObjectName(QStringLiteral("theme"));

    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free port"));
    m_port->setValue(current.port);
    m_startApi->setChecked(current.startApi);
    m_workers->setRange(0, 256);
    m_workers->setSpecialValueText(tr("one per core (%1)").arg(QThread::idealThreadCount()));
    m_workers->setValue(current.workers);
    m_languages->setText(current.ocrLanguages);
    m_languages->setPlaceholderText(tr("from each page's script (or e.g. eng+deu)"));
    m_languages->setToolTip(tr("Tesseract languages for pages without a text layer, joined with '+'; "
                               "empty: chosen from each page's script."));
    m_ttl->setRange(0, 365 * 24 * 3600);
    m_ttl->setSuffix(tr(" s"));
    m_ttl->setSpecialValueText(tr("keep forever"));
    m_ttl->setValue(current.jobTtlSeconds);
    m_dataDir->setText(current.dataDir);
    m_dataDir->setPlaceholderText(tr("default (~/.local/share/doc-ray)"));
    m_theme->addItem(tr("System"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(current.theme)));

    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::chooseDataDir);
    auto *dataDirRow = new QHBoxLayout;
    dataDirRow->addWidget(m_dataDir, 1);
    dataDirRow->addWidget(browse);

    auto *form = new QFormLayout;
    form->addRow(tr("API port:"), m_port);
    form->addRow(QString(), m_startApi);
    form->addRow(tr("Parallel parses:"), m_workers);
    form->addRow(tr("OCR languages:"), m_languages);
    form->addRow(tr("Keep untouched jobs:"), m_ttl);
    form->addRow(tr("Data directory:"), dataDirRow);
    form->addRow(tr("Appearance:"), m_theme);

    auto *note = new QLabel(tr("Changes apply the next time doc-ray starts. Command-line options and "
                               "DOCRAY_* environment variables override these settings."),
        this);
    note->setWordWrap(true);
    note->setObjectName(QStringLiteral("settingsNote"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

DesktopSettings SettingsDialog::values() const
{
    DesktopSettings s;
    s.port = static_cast<quint16>(m_port->value());
    s.startApi = m_startApi->isChecked();
    s.workers = m_workers->value();
    s.ocrLanguages = m_languages->text().trimmed();
    s.jobTtlSeconds = m_ttl->value();
    s.dataDir = m_dataDir->text().trimmed();
    s.theme = m_theme->currentData().toString();
    return s;
}

void SettingsDialog::accept()
{
    values().save(*m_settings);
    QDialog::accept();
}

void SettingsDialog::chooseDataDir()
{
    // Non-blocking, like the dialog itself.
    auto *chooser = new QFileDialog(this, tr("Data directory"), m_dataDir->text());
    chooser->setFileMode(QFileDialog::Directory);
    chooser->setOption(QFileDialog::ShowDirsOnly);
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        chooser, &QFileDialog::fileSelected, this, [this](const QString &dir) { m_dataDir->setText(dir); });
    chooser->open();
}

} // namespace DocRay
