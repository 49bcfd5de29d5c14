#include "engine/office/officeconverter.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUrl>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace DocRay {

namespace {

constexpr int kPollMs = 100;

QString lastLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.trimmed().split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QByteArray line = it->trimmed();
        // LibreOffice always warns about Java on machines without it.
        if (!line.isEmpty() && !line.contains("javaldx"))
            return QString::fromUtf8(line);
    }
    return QStringLiteral("no message");
}

// The fresh profile each conversion runs with: no macros, and nothing a
// document links to (a picture on this machine's disk, a URL) is loaded.
const QByteArray kLockedDownProfile = R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
)";

bool writeProfile(const QString &profileDir)
{
    QDir().mkpath(profileDir + QStringLiteral("/user"));
    QFile file(profileDir + QStringLiteral("/user/registrymodifications.xcu"));
    return file.open(QIODevice::WriteOnly) && file.write(kLockedDownProfile) == kLockedDownProfile.size();
}

// LibreOffice sees what it needs and nothing of the service's secrets; its
// home and temporary files stay in the conversion's own folder.
QProcessEnvironment officeEnvironment(const QString &workDir)
{
    const QProcessEnvironment inherited = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const char *name : {"PATH", "LANG", "LC_ALL", "TZ"})
        if (inherited.contains(QLatin1String(name)))
            env.insert(QLatin1String(name), inherited.value(QLatin1String(name)));
    env.insert(QStringLiteral("HOME"), workDir);
    env.insert(QStringLiteral("TMPDIR"), workDir);
    env.insert(QStringLiteral("SAL_USE_VCLPLUGIN"), QStringLiteral("svp"));
    return env;
}

} // namespace

OfficeConverter::Options OfficeConverter::optionsFromEnvironment()
{
    Options options;
    options.soffice = qEnvironmentVariable("DOCRAY_SOFFICE");
    bool ok = false;
    const double seconds = qEnvironmentVariable("DOCRAY_OFFICE_TIMEOUT").toDouble(&ok);
    if (ok && seconds > 0)
        options.timeoutMs = qMax(1, static_cast<int>(seconds * 1000));
    return options;
}

OfficeConverter::OfficeConverter(Options options)
    : m_options(std::move(options))
{
}

Result<QByteArray> OfficeConverter::convert(
    const QByteArray &data, OfficeKind kind, const ParseControl &control) const
{
    const QString wanted = m_options.soffice.isEmpty() ? QStringLiteral("soffice") : m_options.soffice;
    const QString program
        = wanted.contains(QLatin1Char('/')) ? wanted : QStandardPaths::findExecutable(wanted);
    if (program.isEmpty() || !QFileInfo(program).isExecutable())
        return Error{ErrorCode::Unsupported, QStringLiteral("LibreOffice is not installed (no '%1' program found), so this Office document "
                           "cannot be converted. Install libreoffice-writer-nogui, libreoffice-calc-nogui "
                           "and libreoffice-impress-nogui.")
                .arg(wanted)};

    QTemporaryDir work(QDir::tempPath() + QStringLiteral("/doc-ray-office-XXXXXX"));
    if (!work.isValid())
        return Error{ErrorCode::Internal, QStringLiteral("Cannot create a temporary folder for LibreOffice: %1.").arg(work.errorString())};
    const QString input = work.filePath(QStringLiteral("document") + officeExtension(kind));
    QFile file(input);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return Error{ErrorCode::Internal, QStringLiteral("Cannot write the document for LibreOffice: %1.").arg(file.errorString())};
    file.close();
    const QString outDir = work.filePath(QStringLiteral("out"));
    if (!writeProfile(work.filePath(QStringLiteral("profile"))))
        return Error{ErrorCode::Internal, QStringLiteral("Cannot write LibreOffice's profile in %1.").arg(work.path())};

    QProcess process;
    process.setProgram(program);
    process.setArguments({ QStringLiteral("-env:UserInstallation=")
            + QUrl::fromLocalFile(work.filePath(QStringLiteral("profile"))).toString(),
        QStringLiteral("--headless"), QStringLiteral("--norestore"), QStringLiteral("--nolockcheck"),
        QStringLiteral("--nodefault"), QStringLiteral("--nologo"), QStringLiteral("--convert-to"),
        QStringLiteral("pdf"), QStringLiteral("--outdir"), outDir, input });
    process.setWorkingDirectory(work.path());
    process.setProcessEnvironment(officeEnvironment(work.path()));
    process.setStandardInputFile(QProcess::nullDevice());
    // soffice is a script that starts oosplash, which starts soffice.bin: a
    // process group of its own lets a timeout kill all three.
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start();
    if (!process.waitForStarted(10000))
        return Error{ErrorCode::Unsupported, QStringLiteral("LibreOffice could not be started (%1): %2.").arg(program, process.errorString())};

    // processId() reads 0 once the process is gone, and kill(-0) would hit our own group.
    const pid_t group = static_cast<pid_t>(process.processId());
    auto killGroup = [group] {
        if (group > 1)
            ::kill(-group, SIGKILL);
    };
    const QDeadlineTimer deadline(m_options.timeoutMs);
    bool cancelled = false;
    while (!process.waitForFinished(kPollMs)) {
        cancelled = control.cancelled();
        if (cancelled || deadline.hasExpired())
            break;
    }
    if (process.state() != QProcess::NotRunning) {
        killGroup();
        process.waitForFinished(5000);
        if (cancelled)
            return cancelledError();
        return Error{ErrorCode::InvalidInput, QStringLiteral("LibreOffice did not finish converting the document "
                           "within %1 s and was stopped.")
                .arg(m_options.timeoutMs / 1000.0)};
    }

    QFile pdf(outDir + QStringLiteral("/document.pdf"));
    const QByteArray output = process.readAllStandardError() + process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0
        || !pdf.open(QIODevice::ReadOnly))
        return Error{ErrorCode::InvalidInput, QStringLiteral("LibreOffice could not convert the document (exit code %1): %2")
                .arg(process.exitCode())
                .arg(lastLine(output))};
    QByteArray converted = pdf.readAll();
    if (converted.isEmpty())
        return Error{ErrorCode::InvalidInput, QStringLiteral("LibreOffice produced an empty PDF for this document.")};
    return converted;
}

} // namespace DocRay
