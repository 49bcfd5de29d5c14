// The desktop window on the offscreen platform: drops create jobs that run
// on the shared JobStateManager, refused files are said so, and the list
// follows jobs added and removed elsewhere (e.g. over the API).
#include "app/gui/mainwindow.h"
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/sqlitejobstore.h"
#include "tests/support/testsupport.h"

#include <QApplication>
#include <QMessageBox>
#include <QMimeData>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(data);
    return path;
}

} // namespace

class TestDesktop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropCreatesJobsAndRefusesUnsupportedFiles()
    {
        QTemporaryDir dir;
        JobManagerSettings settings;
        settings.workers = 2;
        JobStateManager jobs(std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        QString error;
        QVERIFY(jobs.start(&error));
        MainWindow window(&jobs, QUrl(QStringLiteral("http://127.0.0.1:8639")), QString(), QStringLiteral("cpu"));
        window.show();
        auto *table = window.findChild<QTableWidget *>();
        QVERIFY(table);

        const QString pdf = writeFile(dir, QStringLiteral("dropped.pdf"), Test::multiPagePdf(2));
        const QString bogus = writeFile(dir, QStringLiteral("bogus.xyz"), "\x01\x02\x03");
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(pdf), QUrl::fromLocalFile(bogus)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);

        QCOMPARE(jobs.jobs().size(), 1);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("dropped.pdf"));
        auto *message = window.findChild<QMessageBox *>(QStringLiteral("refusedFilesMessage"));
        QVERIFY(message);
        QVERIFY(message->text().contains(QStringLiteral("bogus.xyz")));
        QTRY_COMPARE_WITH_TIMEOUT(table->item(0, 1)->text(), QStringLiteral("completed"), 30000);
        QCOMPARE(table->item(0, 2)->text(), QStringLiteral("2 / 2"));

        // Jobs that arrive and leave through the manager (as API jobs do).
        QString id = jobs.submit(QStringLiteral("api.pdf"), Test::multiPagePdf(1), DocumentFormat::Pdf, ParserParams(), &error);
        QCOMPARE(table->rowCount(), 2);
        jobs.remove(id);
        QCOMPARE(table->rowCount(), 1);
    }
};

QTEST_MAIN(TestDesktop)
#include "test_desktop.moc"
