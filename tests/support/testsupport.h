#pragma once

#include <QByteArray>
#include <QHash>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QSizeF>
#include <QTcpServer>
#include <QTcpSocket>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <memory>

class QPainter;
class QPdfWriter;

class QNetworkAccessManager;

namespace DocRay::Test {

// ---- Fixtures, made by the tests themselves -----------------------------

// A PDF with a text layer, laid out by QTextDocument from HTML.
QByteArray pdfFromHtml(const QString &html);
// A PDF drawn by the test at 72 dpi on A4, so it controls fonts and positions.
QByteArray paintedPdf(const std::function<void(QPainter &, QPdfWriter &)> &paint);
inline QByteArray paintedPdf(const std::function<void(QPainter &)> &paint)
{
    return paintedPdf([&paint](QPainter &painter, QPdfWriter &) { paint(painter); });
}
// A PDF of `pages` pages, each with a heading "Section N" and a paragraph
// that contains the marker "page-N-marker".
QByteArray multiPagePdf(int pages);
// A long manual: a running head and a page number on every page, a chapter
// heading every 25 pages and a section heading on the others, prose, and
// every 50th page a listing that goes on at the top of the next page
// ("run_P_L();", page P, line L).
QByteArray longDocumentPdf(int pages);
// `pdf` encrypted by qpdf (AES-256) with `password` as its user password;
// empty when qpdf fails.
QByteArray encryptedPdf(const QByteArray &pdf, const QString &password);
// Pages that hold what real documents do: a numbered heading, prose, a
// ruled table, a bar chart with its caption, Chinese text, a numbered list,
// a line of code, an unruled table and a display formula; "rich-N-marker"
// in the prose of page N.
QByteArray richDocumentPdf(int pages);
// A table between rules across alone (booktabs) from `top` down, 60 to 535
// points across: a header (Operator, Description, Example), a section's
// name set across the columns ("Comparison operators and their examples")
// and four rows whose cells run over up to three lines (">", "<=", "==",
// "~="). Returns where its bottom rule stands.
double paintRulesOnlyTable(QPainter &painter, double top);
// An Arabic line ("الأهداف الاستراتيجية للكالا", lam-alef ligatures in it)
// at `top` and, 60 points under it, a ruled Persian table of labels in its
// right column and values in its left: "نام استاندارد" / "فولاد", ...,
// "تاريخ پذيرش" / "1403/10/04".
void paintRightToLeftTable(QPainter &painter, double top);
// A ruled table, 60 to 390 points across from `top` down, whose header row
// (Region, Before, After) is set in white on a blue band with thin white
// lines between its cells and no rules of its own; rows "north | 12 sites
// | 15 sites" and "south | 7 sites | 9 sites" under it. Returns its bottom.
double paintTableUnderColouredHeader(QPainter &painter, double top);
// Two columns of prose with a JSON listing indented under its brace in the
// left one, a value the column broke off its key ("program": then
// "/usr/lib/xx…",), and beside it a line whose last word, the type name
// "{Buffer|TypedArray|DataView|ArrayBuffer|string}", runs past the page's edge.
void paintListingInColumns(QPainter &painter);
// A landscape page drawn turned on a portrait one, its text running up
// the page (`quarterTurns` 3, as a wide table is printed) or down it (1),
// or the page drawn upside down (2):
// the title "Landscape summary of the survey", the sentence "Every site was
// visited twice, once in spring and once in autumn." and a ruled table
// "Site | Spring | Autumn", "Harbour | 14 | 17", "Quarry | 9 | 11".
void paintSidewaysSurvey(QPainter &painter, int quarterTurns);
// A ruled table at `top` whose column headings are set turned, reading up:
// "Action" (level), then "Read only" and "No Authority"; rows "Open a file |
// X | X" and "Delete a file | X |". Returns its bottom.
double paintTableWithTurnedHeadings(QPainter &painter, double top);
// Pages set as technical documents are: a table between rules alone, a
// table under a coloured header row, a right-to-left page with its table,
// a listing in columns (paintListingInColumns), a landscape page printed
// turned (paintSidewaysSurvey) and a table with turned column headings.
QByteArray layoutsDocumentPdf();
// A DOCX of two pages with what a report holds: headings, prose, a ruled
// table, a chart picture with its caption, Chinese; "docx-rich-marker" in
// its first paragraph.
QByteArray richDocumentDocx();
// A PDF written byte by byte: `pages` pages of the given size in points,
// each with the same content stream (PDF operators, Helvetica as /F1 and
// a fixed-pitch face as TeX embeds Latin Modern Mono as /F2), and
// `pageKeys` added to each page's dictionary ("/Rotate 90"), and where
// given, `toUnicode` (the bfchar lines of a CMap: "<41> <06440627>") as the
// font's map from codes to text.
QByteArray rawPdf(const QSizeF &pageSize, const QByteArray &content, int pages = 1, const QByteArray &pageKeys = {},
                  const QByteArray &toUnicode = {});
// A PDF of `objects`, numbered from 1 (the catalog first), with its
// cross-reference table; pdfStream(data) is a stream object of `data`.
QByteArray pdfFromObjects(const QList<QByteArray> &objects);
QByteArray pdfStream(const QByteArray &data);
// Packed 1-bit rows, `width` pixels by `rows`, 1 bits set: 40-pixel squares
// crossed by a diagonal band (a mask that is neither blank nor regular).
QByteArray checkeredMaskBits(int width, int rows);
// Packed rows as CCITT Group 4 data (encoded by libtiff), 1 bits black.
QByteArray ccittGroupFour(const QByteArray &packedRows, int width, int rows);
// A listing as LaTeX's listings set it (token by token on a grid wider
// than the glyphs, in /F2), under a heading set tight in the same face
// ("THEM, SOON") and a sentence of prose; kGridListing are its lines.
extern const QStringList kGridListing;
QByteArray gridListingPdf();
// A one-page PDF whose content stream draws `image` (as /Im0, Flate-
// compressed: DeviceGray when the image is grey, one bit a pixel when it is
// Mono, an RGB palette when it is Indexed8, DeviceRGB otherwise) as the
// stream says ("q 600 0 0 800 0 0 cm /Im0 Do Q"), with Helvetica as /F1
// for any text beside it. `pngPredictor`: rows written as PNG's, each after
// its filter byte, as many scanners' PDFs do.
QByteArray imagePagePdf(const QSizeF &pageSize, const QImage &image, const QByteArray &content,
                        bool pngPredictor = false);
// White paper of the given size at `dpi`, the resolution recorded in it.
QImage blankPage(int dpi, const QSizeF &inches);
// An image of printed text at the given dpi, for OCR.
QImage textImage(const QStringList &lines, int dpi = 300, int pointSize = 14);
QByteArray encodeImage(const QImage &image, const char *format);
// A scanned page of a manual at 200 dpi: prose in a serif, a heading in
// bold at the body's size ("Handling requests"), a listing in a font of
// code with indented lines and closing braces on lines of their own
// (scannedListing(), 0 and 4 spaces deep), prose after it, and a list of
// two items ("port {number} ...", "host {string} ...") set off from their
// bullets.
QImage scannedManualPage();
QStringList scannedListing();
// A newspaper page at 100 dpi (800x1000 pixels): a black headline
// ("Harbour Reopens", `headlinePixels` high), a dark photo, and beside it 60 lines of body text
// eleven pixels high printed grey (150), a page-wide threshold's loss,
// from a seven-line story repeated ("The harbour reopened on Monday",
// "northern pier and two cranes.", "cod, herring and mackerel.").
QImage newspaperPage(int headlinePixels = 36);
// The same in Chinese: the headline "茶农迎来又一春" over a photo, and a
// five-line story repeated beside it ("今年全省茶园面积达到三百万亩，" ...
// "茶产业加速发展。"), set in WenQuanYi Micro Hei at the sizes given.
QImage chineseNewspaperPage(int headlinePixels, int bodyPixels);
// A scanned report at 200 dpi: a sidebar of twelve short facts ("Rating:
// Buy, kept" ... "Updated: 25 June") beside a body of twelve lines of
// prose ("Revenue grew twelve percent in the first half" ... "credit in
// the countryside comes back."), on the same heights, the gutter between
// them a few pixels at its narrowest row: Tesseract runs lines across it.
QImage sidebarReportPage();
// A multi-page TIFF (as scanners write them), each page at `dpi`.
QByteArray multiPageTiff(const QList<QImage> &pages, int dpi = 300);
// A ZIP archive of the given members, stored, in order (ODF
// wants its "mimetype" member first): DOCX, XLSX, ODT, ... made from XML.
// With `deflate`, every member is compressed (a bomb shrinks to little).
QByteArray zipArchive(const QList<QPair<QString, QByteArray>> &members, bool deflate = false);

// ---- HTTP ----------------------------------------------------------------

struct HttpReply {
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QString networkError;

    QJsonObject json() const;
    QByteArray header(const QByteArray &name) const;
};

// Sends one request and waits for the answer, running the event loop (so an
// in-process server keeps serving).
HttpReply httpRequest(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
                      const QByteArray &body = {}, const QByteArray &contentType = {},
                      int timeoutMs = 30000, const QList<QPair<QByteArray, QByteArray>> &headers = {});

struct FormPart {
    QByteArray name;
    QByteArray fileName; // empty for a plain field
    QByteArray data;
};
QByteArray multipartBody(const QList<FormPart> &parts, const QByteArray &boundary);
QByteArray multipartContentType(const QByteArray &boundary);

// Polls /status until the job leaves "processing"; returns the last status.
QJsonObject waitForJob(QNetworkAccessManager &network, const QUrl &base, const QString &jobId,
                       int timeoutMs = 60000);

// ---- The real executable ---------------------------------------------------

// A TCP port on 127.0.0.1 that nothing listens on now.
int freeLocalPort();

// The environment the desktop window runs in under a test: Qt's offscreen
// platform, its settings under `home`, not told to be a server.
QProcessEnvironment desktopEnvironment(const QString &home);

// Runs `doc-ray --server --host 127.0.0.1 --port 0 <extra>` and learns its
// port from the line it prints.
class ServerProcess
{
public:
    ServerProcess(const QString &dataDir, const QStringList &extraArguments = {});
    ~ServerProcess();

    // The environment the server starts with (default: this process's).
    void setEnvironment(const QProcessEnvironment &environment);
    bool start(QString *error);
    QUrl url() const { return m_url; }
    void kill();            // SIGKILL: no chance to clean up
    bool terminate();       // SIGTERM, waits for a clean exit
    QString output() const;
    qint64 pid() const;
    // The server process's peak and current resident memory, in MB (/proc).
    double peakRssMb() const;
    double rssMb() const;
    // SIGSTOP / SIGCONT to the server and its parser workers: a stalled machine.
    void pause();
    void resume();

private:
    void signalAll(int signal);

    std::unique_ptr<QProcess> m_process;
    QString m_dataDir;
    QStringList m_extraArguments;
    QUrl m_url;
};

// A callback receiver: a tiny HTTP server on loopback that answers the
// first `failures` requests with 500 and the rest with 200, and keeps them all.
class CallbackReceiver final : public QTcpServer
{
public:
    struct Received {
        QByteArray head;
        QByteArray body;
    };

    explicit CallbackReceiver(int failures = 0);

    QList<Received> received;

private:
    void read(QTcpSocket *socket);

    int m_failures;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

QString docRayBinary();

// A memory figure of a process from /proc (VmRSS, VmHWM, ...), in MB; pid 0
// is this process. -1 when it cannot be read.
double processMemoryMb(qint64 pid, const QByteArray &field);

// Whether the parser worker `pid` has loaded, idle, what its first job
// would wait for: its OCR's English and orientation packs (it has read over
// 12 MB from files; a fresh worker has read a few hundred kB), and LibTorch
// exactly where the service's `device` (as /health reports it) is CUDA.
bool workerPrepared(const QString &pid, const QString &device);

} // namespace DocRay::Test
