// The desktop window on the offscreen platform, on a real JobStateManager and
// SQLite store: drops create jobs whose pages and markdown show in the
// preview, refused files are said so, jobs submitted and deleted over the
// real REST API come and go in the list, results are saved with their
// images, cancel stops a running parse, and settings sit under the command line.
#include "app/gui/desktopsettings.h"
#include "app/gui/joblistmodel.h"
#include "app/gui/jobresultdata.h"
#include "app/gui/mainwindow.h"
#include "app/gui/noticebar.h"
#include "app/gui/pagepreview.h"
#include "app/gui/previewpanel.h"
#include "app/gui/settingsdialog.h"
#include "app/options.h"
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "httpserver/apiserver.h"
#include "tests/support/testsupport.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QClipboard>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

using namespace DocRay;

namespace {

QString writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A real job layer on a SQLite file in its own temporary directory, parsing
// in `doc-ray worker` child processes as the desktop does.
struct JobsFixture {
    QTemporaryDir dir;
    std::unique_ptr<JobStateManager> jobs;

    explicit JobsFixture(int workers = 2)
    {
        JobManagerSettings settings;
        settings.workers = workers;
        settings.workerProgram = Test::docRayBinary();
        settings.workerArguments = {QStringLiteral("worker"), QStringLiteral("--data-dir"), dir.path()};
        jobs = std::make_unique<JobStateManager>(
            std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        if (const Result<void> started = jobs->start(); !started)
            qFatal("cannot start the job layer: %s", qPrintable(started.errorMessage()));
    }
};

MainWindowSetup testSetup()
{
    MainWindowSetup setup;
    setup.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:8639"));
    setup.device = QStringLiteral("cpu");
    return setup;
}

void drop(QWidget *target, const QList<QUrl> &urls)
{
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
}

JobListModel *modelOf(MainWindow &window)
{
    auto *table = window.findChild<QTableView *>(QStringLiteral("jobTable"));
    return table ? qobject_cast<JobListModel *>(table->model()) : nullptr;
}

QString cell(JobListModel *model, const QString &id, int column)
{
    return model->indexOf(id, column).data().toString();
}

QAction *action(MainWindow &window, const QString &name)
{
    auto *found = window.findChild<QAction *>(name);
    if (!found)
        qFatal("no action %s", qPrintable(name));
    return found;
}

} // namespace

class TestDesktop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dropCreatesJobsThatCompleteInThePreview()
    {
        JobsFixture fixture;
        MainWindow window(fixture.jobs.get(), testSetup());
        window.show();
        JobListModel *model = modelOf(window);
        QVERIFY(model);

        const QString pdf
            = writeFile(fixture.dir.filePath(QStringLiteral("in/dropped.pdf")), Test::multiPagePdf(2));
        drop(&window, { QUrl::fromLocalFile(pdf) });

        QTRY_COMPARE(fixture.jobs->jobs().size(), 1);
        const QString id = fixture.jobs->jobs().first().id;
        QTRY_COMPARE(model->rowCount(), 1);
        QCOMPARE(cell(model, id, JobListModel::FileColumn), QStringLiteral("dropped.pdf"));
        // The first job added from the window is selected for the preview.
        QTRY_COMPARE(window.selectedJobId(), id);
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(model, id, JobListModel::StatusColumn), QStringLiteral("completed"), 30000);
        QCOMPARE(cell(model, id, JobListModel::PagesColumn), QStringLiteral("2"));
        QCOMPARE(model->indexOf(id).data(JobListModel::ProgressRole).toInt(), 100);
        QCOMPARE(model->indexOf(id).data(JobListModel::ProgressTextRole).toString(), QStringLiteral("2 / 2"));

        PreviewPanel *preview = window.preview();
        QTRY_VERIFY_WITH_TIMEOUT(
            preview->renderedMarkdownText().contains(QStringLiteral("page-1-marker")), 10000);
        QVERIFY(preview->renderedMarkdownText().contains(QStringLiteral("page-2-marker")));
        QVERIFY(!preview->renderedMarkdownText().contains(QStringLiteral("# Section"))); // rendered, not raw
        auto *raw = window.findChild<QPlainTextEdit *>(QStringLiteral("rawMarkdown"));
        QVERIFY(raw->toPlainText().contains(QStringLiteral("Section 1")));
        QCOMPARE(raw->toPlainText(), QString::fromUtf8(fixture.jobs->result(id)->markdown));
        auto *json = window.findChild<QPlainTextEdit *>(QStringLiteral("jsonView"));
        QVERIFY(QJsonDocument::fromJson(json->toPlainText().toUtf8())
                    .object()
                    .contains(QStringLiteral("pdf_info")));

        // The page itself, rendered off the GUI thread, with its blocks.
        PagePreview *page = preview->pagePreview();
        QCOMPARE(page->pageCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(page->hasRenderedPage(), 10000);
        preview->nextPage();
        QCOMPARE(page->page(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(page->hasRenderedPage(), 10000);
        QVERIFY(page->currentPage()->blocks.size() >= 2);
        int title = -1;
        for (int i = 0; i < page->currentPage()->blocks.size(); ++i)
            if (page->currentPage()->blocks.at(i).type == QLatin1String("title"))
                title = i;
        QVERIFY(title >= 0);
        const QRectF box = page->blockRect(title);
        QVERIFY(page->rect().contains(box.center().toPoint()));
        QTest::mouseClick(page, Qt::LeftButton, Qt::NoModifier, box.center().toPoint());
        QCOMPARE(preview->blockMarkdown(), QStringLiteral("# Section 2"));
        auto *blocks = window.findChild<QCheckBox *>();
        QVERIFY(blocks && blocks->isChecked());
        action(window, QStringLiteral("Show Blocks"))->trigger();
        QVERIFY(!page->blocksVisible());
    }

    // A document as users drop them, with a ruled table, a chart and
    // Chinese text, read by the window's worker processes (which load the
    // page-tensor module for the table and the figure): the raw markdown
    // shows all three, the figure's picture is in the result, the JSON view
    // holds both pages.
    void droppedRichDocumentShowsTablesFiguresAndChinese()
    {
        JobsFixture fixture;
        MainWindow window(fixture.jobs.get(), testSetup());
        window.show();
        const QString pdf = writeFile(fixture.dir.filePath(QStringLiteral("in/rich.pdf")), Test::richDocumentPdf(2));
        drop(&window, { QUrl::fromLocalFile(pdf) });
        QTRY_COMPARE(fixture.jobs->jobs().size(), 1);
        const QString id = fixture.jobs->jobs().first().id;
        QTRY_COMPARE_WITH_TIMEOUT(cell(modelOf(window), id, JobListModel::StatusColumn), QStringLiteral("completed"), 60000);
        QTRY_COMPARE(window.selectedJobId(), id);

        auto *raw = window.findChild<QPlainTextEdit *>(QStringLiteral("rawMarkdown"));
        QTRY_VERIFY_WITH_TIMEOUT(raw->toPlainText().contains(QStringLiteral("rich-2-marker")), 10000);
        const QString markdown = raw->toPlainText();
        QVERIFY2(markdown.contains(QStringLiteral("| Sample | Mass | Error |")), qPrintable(markdown));
        QVERIFY2(markdown.contains(QStringLiteral("第1次实验的结果与预期一致。")), qPrintable(markdown));
        QVERIFY2(markdown.contains(QStringLiteral("](images/")), qPrintable(markdown));
        const std::optional<JobResult> result = fixture.jobs->result(id);
        QVERIFY(result);
        QVERIFY(!result->images().isEmpty());
        auto *json = window.findChild<QPlainTextEdit *>(QStringLiteral("jsonView"));
        QCOMPARE(QJsonDocument::fromJson(json->toPlainText().toUtf8())
                     .object()
                     .value(QStringLiteral("pdf_info"))
                     .toArray()
                     .size(),
                 2);
    }

    void droppedFolderAddsItsDocuments()
    {
        JobsFixture fixture;
        MainWindow window(fixture.jobs.get(), testSetup());
        const QString folder = fixture.dir.filePath(QStringLiteral("batch"));
        writeFile(folder + QStringLiteral("/a.pdf"), Test::multiPagePdf(1));
        writeFile(folder + QStringLiteral("/sub/b.md"), "# Notes\n\nSome *markdown*.\n");
        writeFile(folder + QStringLiteral("/notes.xyz"), "not a document");
        drop(&window, { QUrl::fromLocalFile(folder) });
        QTRY_COMPARE(modelOf(window)->rowCount(), 2);
        QStringList names;
        for (const JobRecord &job : fixture.jobs->jobs())
            names.append(job.fileName);
        names.sort();
        QCOMPARE(names, QStringList({ QStringLiteral("a.pdf"), QStringLiteral("b.md") }));
        QTRY_VERIFY(window.notice()->text().contains(QStringLiteral("1 other file(s) skipped")));
    }

    void unsupportedDropIsRefusedWithAMessage()
    {
        JobsFixture fixture;
        MainWindow window(fixture.jobs.get(), testSetup());
        window.show();
        const QString bogus = writeFile(fixture.dir.filePath(QStringLiteral("bogus.xyz")), "\x01\x02\x03");
        const QString empty = writeFile(fixture.dir.filePath(QStringLiteral("empty.pdf")), QByteArray());
        drop(&window, { QUrl::fromLocalFile(bogus), QUrl::fromLocalFile(empty) });
        QTRY_VERIFY(window.notice()->isVisible());
        const QString text = window.notice()->text();
        QVERIFY2(text.contains(QStringLiteral("bogus.xyz: not a supported document")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("empty.pdf: the file is empty")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral(".pdf")));
        QCOMPARE(fixture.jobs->jobs().size(), 0);
        QCOMPARE(modelOf(window)->rowCount(), 0);
    }

    void jobsSubmittedAndDeletedOverHttpFollowTheList()
    {
        JobsFixture fixture;
        ApiServer api(fixture.jobs.get(), ApiSettings());
        const Result<void> listening = api.listen(QHostAddress::LocalHost, 0);
        QVERIFY2(listening.ok(), qPrintable(listening.errorMessage()));
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(api.port()));
        MainWindow window(fixture.jobs.get(), testSetup());
        window.show();
        JobListModel *model = modelOf(window);

        QNetworkAccessManager network;
        const QByteArray boundary = "desktopboundary";
        const Test::HttpReply submitted
            = Test::httpRequest(network, "POST", base.resolved(QUrl(QStringLiteral("/submit"))),
                Test::multipartBody({ { "file", "over-http.pdf", Test::multiPagePdf(1) } }, boundary),
                Test::multipartContentType(boundary));
        QCOMPARE(submitted.status, 202);
        const QString id = submitted.json().value(QStringLiteral("job_id")).toString();
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY(model->indexOf(id).isValid());
        QCOMPARE(cell(model, id, JobListModel::FileColumn), QStringLiteral("over-http.pdf"));
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(model, id, JobListModel::StatusColumn), QStringLiteral("completed"), 30000);
        QVERIFY(window.selectJob(id));
        QTRY_VERIFY(window.preview()->renderedMarkdownText().contains(QStringLiteral("page-1-marker")));

        const Test::HttpReply deleted
            = Test::httpRequest(network, "DELETE", base.resolved(QUrl(QStringLiteral("/result/%1").arg(id))));
        QCOMPARE(deleted.status, 200);
        QTRY_VERIFY(!model->indexOf(id).isValid());
        QCOMPARE(model->rowCount(), 0);
        QVERIFY(window.selectedJobId().isEmpty());
        QVERIFY(!window.preview()->result().isValid());
        QVERIFY(window.preview()->renderedMarkdownText().isEmpty());
    }

    void saveWritesMarkdownAndImages()
    {
        // A completed job whose result carries an image, as the store keeps it.
        QTemporaryDir dir;
        const QString database = dir.filePath(QStringLiteral("jobs.sqlite"));
        QImage figure(40, 20, QImage::Format_RGB32);
        figure.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        figure.save(&buffer, "PNG");
        const QString markdown = QStringLiteral("# Report\n\nA figure:\n\n![figure](images/fig-1.png)\n");
        {
            SqliteJobStore store(database);
            QVERIFY(store.open().ok());
            JobRecord job;
            job.id = QStringLiteral("saved-job");
            job.fileName = QStringLiteral("report.pdf");
            job.format = QStringLiteral("pdf");
            job.createdAt = job.lastAccess = QDateTime::currentDateTimeUtc();
            const QByteArray pdf = Test::multiPagePdf(1);
            QVERIFY(store.insertJob(job, pdf));
            JobResult result;
            result.markdown = markdown.toUtf8();
            result.middleJson = R"({"pdf_info":[]})";
            result.imagesJson = QJsonDocument(
                QJsonObject { { QStringLiteral("images/fig-1.png"), QString::fromLatin1(png.toBase64()) } })
                                    .toJson(QJsonDocument::Compact);
            QVERIFY(store.saveResult(job, result, 1, QDateTime::currentDateTimeUtc()).ok());
        }
        JobManagerSettings settings;
        JobStateManager jobs(std::make_unique<SqliteJobStore>(database), settings);
        QVERIFY(jobs.start().ok());
        MainWindow window(&jobs, testSetup());
        window.show();
        QSignalSpy shown(&window, &MainWindow::resultShown);
        QVERIFY(window.selectJob(QStringLiteral("saved-job")));
        QTRY_COMPARE(shown.size(), 1);
        QVERIFY(action(window, QStringLiteral("Save Markdown"))->isEnabled());

        // The rendered markdown shows the result's image.
        auto *browser = window.findChild<QTextBrowser *>(QStringLiteral("renderedMarkdown"));
        const QImage shownImage
            = browser->loadResource(QTextDocument::ImageResource, QUrl(QStringLiteral("images/fig-1.png")))
                  .value<QImage>();
        QCOMPARE(shownImage.size(), QSize(40, 20));

        const QString target = dir.filePath(QStringLiteral("out/report.md"));
        QDir().mkpath(dir.filePath(QStringLiteral("out")));
        QVERIFY(window.saveResult(target));
        QCOMPARE(QString::fromUtf8(readFile(target)), markdown);
        const QImage written(dir.filePath(QStringLiteral("out/images/fig-1.png")));
        QCOMPARE(written.size(), QSize(40, 20));
        QCOMPARE(written.pixelColor(5, 5), QColor(Qt::red));
        QCOMPARE(window.lastSavedPath(), target);
        QVERIFY(action(window, QStringLiteral("Open Containing Folder"))->isEnabled());

        // Copy puts the same markdown on the clipboard.
        action(window, QStringLiteral("Copy Markdown"))->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), markdown);

        // A path that cannot be written is said, not swallowed.
        writeFile(dir.filePath(QStringLiteral("blocker")), "a file, not a folder");
        QVERIFY(!window.saveResult(dir.filePath(QStringLiteral("blocker/report.md"))));
        QVERIFY(window.notice()->text().contains(QStringLiteral("Could not save")));
    }

    void cancelStopsARunningJob()
    {
        JobsFixture fixture(1);
        MainWindow window(fixture.jobs.get(), testSetup());
        window.show();
        JobListModel *model = modelOf(window);
        const QString big
            = writeFile(fixture.dir.filePath(QStringLiteral("long.pdf")), Test::multiPagePdf(1500));
        window.submitPaths({ big });
        QTRY_COMPARE(fixture.jobs->jobs().size(), 1);
        const QString id = fixture.jobs->jobs().first().id;
        QTRY_COMPARE(window.selectedJobId(), id);
        QTRY_VERIFY_WITH_TIMEOUT(fixture.jobs->job(id, false)->pagesDone > 0, 30000);
        QCOMPARE(fixture.jobs->job(id, false)->state, JobState::Running);
        QAction *cancel = action(window, QStringLiteral("Cancel"));
        QTRY_VERIFY(cancel->isEnabled());
        cancel->trigger();

        QCOMPARE(fixture.jobs->job(id, false)->state, JobState::Failed);
        QCOMPARE(fixture.jobs->job(id, false)->error, QStringLiteral("Cancelled."));
        QTRY_COMPARE(cell(model, id, JobListModel::StatusColumn), QStringLiteral("failed: Cancelled."));
        const int pagesAtCancel = fixture.jobs->job(id, false)->pagesDone;
        QVERIFY(pagesAtCancel < 1500);
        // The single worker is free again: a new job runs to the end.
        const QString small
            = writeFile(fixture.dir.filePath(QStringLiteral("small.pdf")), Test::multiPagePdf(1));
        window.submitPaths({ small });
        QTRY_COMPARE(fixture.jobs->jobs().size(), 2);
        const QString second = fixture.jobs->jobs().last().id;
        QTRY_COMPARE_WITH_TIMEOUT(fixture.jobs->job(second, false)->state, JobState::Completed, 30000);
        QCOMPARE(fixture.jobs->job(id, false)->state, JobState::Failed);
        QCOMPARE(fixture.jobs->job(id, false)->pagesDone, pagesAtCancel);
        QVERIFY(window.preview()->renderedMarkdownText().isEmpty()); // the cancelled job stays selected
        QVERIFY(action(window, QStringLiteral("Retry"))->isEnabled());
        QVERIFY(!cancel->isEnabled());
        QVERIFY(!fixture.jobs->result(id).has_value());
    }

    void settingsPersistAndTheCommandLineWins()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("doc-ray.conf")), QSettings::IniFormat);
        {
            SettingsDialog dialog(&settings);
            dialog.findChild<QSpinBox *>(QStringLiteral("port"))->setValue(9123);
            dialog.findChild<QSpinBox *>(QStringLiteral("workers"))->setValue(3);
            dialog.findChild<QSpinBox *>(QStringLiteral("jobTtl"))->setValue(0);
            dialog.findChild<QLineEdit *>(QStringLiteral("ocrLanguages"))->setText(QStringLiteral("eng+deu"));
            dialog.findChild<QLineEdit *>(QStringLiteral("dataDir"))
                ->setText(dir.filePath(QStringLiteral("data")));
            dialog.findChild<QCheckBox *>(QStringLiteral("startApi"))->setChecked(false);
            dialog.accept();
        }
        QSettings reread(dir.filePath(QStringLiteral("doc-ray.conf")), QSettings::IniFormat);
        const DesktopSettings saved = DesktopSettings::load(reread);
        QCOMPARE(saved.port, quint16(9123));
        QCOMPARE(saved.workers, 3);
        QCOMPARE(saved.jobTtlSeconds, 0);
        QCOMPARE(saved.ocrLanguages, QStringLiteral("eng+deu"));
        QVERIFY(!saved.startApi);

        QString error;
        const auto fromSettings
            = parseServiceOptions({ QStringLiteral("doc-ray") }, &error, optionsFromSettings(saved));
        QVERIFY2(fromSettings, qPrintable(error));
        QCOMPARE(fromSettings->port, quint16(9123));
        QCOMPARE(fromSettings->workers, 3);
        QCOMPARE(fromSettings->jobTtlSeconds, 0);
        QCOMPARE(fromSettings->dataDir, dir.filePath(QStringLiteral("data")));

        const auto overridden = parseServiceOptions(
            { QStringLiteral("doc-ray"), QStringLiteral("--port"), QStringLiteral("9200"),
                QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("a.pdf") },
            &error, optionsFromSettings(saved));
        QVERIFY2(overridden, qPrintable(error));
        QCOMPARE(overridden->port, quint16(9200));
        QCOMPARE(overridden->workers, 1);
        QCOMPARE(overridden->jobTtlSeconds, 0);
        QCOMPARE(overridden->files, QStringList { QStringLiteral("a.pdf") });

        // Without settings the built-in defaults hold.
        const auto defaults = parseServiceOptions({ QStringLiteral("doc-ray") }, &error);
        QCOMPARE(defaults->port, quint16(8639));
        QCOMPARE(defaults->jobTtlSeconds, 1800);
        // Files are for the window only: the server refuses them.
        QVERIFY(!parseServiceOptions(
            { QStringLiteral("doc-ray"), QStringLiteral("--server"), QStringLiteral("a.pdf") }, &error));
    }

    void statusLineSaysApiDeviceAndCounts()
    {
        JobsFixture fixture(1);
        MainWindowSetup setup = testSetup();
        MainWindow window(fixture.jobs.get(), setup);
        auto *api = window.findChild<QLabel *>(QStringLiteral("apiLabel"));
        QCOMPARE(api->text(), QStringLiteral("API http://127.0.0.1:8639"));
        auto *counts = window.findChild<QLabel *>(QStringLiteral("countsLabel"));
        QCOMPARE(counts->text(), QStringLiteral("0 queued · 0 running · 0 done · 0 failed"));
        QVERIFY(fixture.jobs->submit(QStringLiteral("one.pdf"), Test::multiPagePdf(1), DocumentFormat::Pdf, ParserParams()));
        QTRY_COMPARE_WITH_TIMEOUT(
            counts->text(), QStringLiteral("0 queued · 0 running · 1 done · 0 failed"), 30000);

        MainWindowSetup off = testSetup();
        off.apiUrl = QUrl();
        off.apiStatus = QStringLiteral("port 8639 is in use");
        MainWindow second(fixture.jobs.get(), off);
        QCOMPARE(second.findChild<QLabel *>(QStringLiteral("apiLabel"))->text(),
            QStringLiteral("API off: port 8639 is in use"));
        QCOMPARE(modelOf(second)->rowCount(), 1); // a new window starts from the jobs that exist
        QVERIFY(QFile::exists(QStringLiteral(":/doc-ray.svg")));
        QVERIFY(QFile::exists(QStringLiteral(":/icons/cancel.svg")));
        QVERIFY(!QIcon(QStringLiteral(":/doc-ray.svg")).pixmap(64, 64).isNull());
    }
};

QTEST_MAIN(TestDesktop)
#include "test_desktop.moc"
