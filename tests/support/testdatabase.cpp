#include "tests/support/testdatabase.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace DocRay::Test {

QSqlDatabase openTestDatabase(const QString &url, const QString &connection)
{
    const QUrl parts(url);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
    db.setHostName(parts.host());
    db.setPort(parts.port(5432));
    db.setDatabaseName(parts.path().mid(1));
    db.setUserName(parts.userName());
    db.setPassword(parts.password());
    if (!db.open())
        qFatal("cannot open the test database: %s", qPrintable(db.lastError().text()));
    return db;
}

QString resetTestDatabase()
{
    const QString url = qEnvironmentVariable("DOCRAY_TEST_DATABASE_URL");
    if (url.isEmpty())
        return {};
    {
        QSqlDatabase db = openTestDatabase(url, QStringLiteral("test-reset"));
        QSqlQuery drop(db);
        if (!drop.exec(QStringLiteral("DROP TABLE IF EXISTS result_pieces, tasks, jobs, docray_meta")))
            qFatal("cannot reset the test database: %s", qPrintable(drop.lastError().text()));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("test-reset"));
    return url;
}

} // namespace DocRay::Test
