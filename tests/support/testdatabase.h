#pragma once

#include <QSqlDatabase>
#include <QString>

namespace DocRay::Test {

// The PostgreSQL database at `url`, opened as Qt's connection `connection`;
// a fatal error when it cannot be.
QSqlDatabase openTestDatabase(const QString &url, const QString &connection);

// The PostgreSQL database the test command starts
// (eval "$(bash tools/test-postgres.sh start)"), emptied of doc-ray's
// tables; an empty string when DOCRAY_TEST_DATABASE_URL is not set. Tests
// that use it share a ctest RESOURCE_LOCK.
QString resetTestDatabase();

} // namespace DocRay::Test
