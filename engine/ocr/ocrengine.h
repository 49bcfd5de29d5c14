#pragma once

#include "engine/core/result.h"

#include "engine/core/pagelayout.h"
#include "engine/layout/pageregions.h"

#include <QImage>
#include <QTransform>
#include <QStringList>

#include <future>
#include <memory>
#include <optional>

struct Pix;
namespace tesseract {
class TessBaseAPI;
}

namespace DocRay {

// Tesseract behind one small class: the only file that includes its headers.
// Holds one TessBaseAPI (not thread-safe): use one OcrEngine per thread.
class OcrEngine final
{
public:
    OcrEngine();
    ~OcrEngine();
    OcrEngine(const OcrEngine &) = delete;
    OcrEngine &operator=(const OcrEngine &) = delete;

    // The image's paragraphs in Tesseract's reading order, in PDF points
    // (1/72 inch) at the given dpi, on the image turned `quarterTurns`
    // clockwise: upright, as it was read (PageLayout::quarterTurns; a
    // scan's few degrees of skew stay as on the image).
    struct PageText {
        QList<TextBlock> blocks;
        int quarterTurns = 0;
    };
    // `languages` is Tesseract's form, e.g. "eng+deu"; empty picks them
    // from the script the page is written in. With clean-up on, the upright
    // page is levelled first; where that fails the page is read as it is,
    // with a warning in the log.
    PageText recognize(const QImage &image, double dpi, const QString &languages, QString *error,
                       const ScanCleanupOptions &cleanup = {});

    // Starts loading, on another thread, what a page in an unnamed language
    // is first read with (its packs, the orientation detector): the first
    // page to need them waits only for what is still loading, and pages
    // that need no OCR wait for nothing. A no-op once anything is loaded.
    void prepare();
    // The same for a document that will surely be read (a picture), with
    // the packs `languages` names (empty: as prepare()) and without the
    // detector, which few pages need: the loading overlaps the decoding.
    void prepareToRead(const QString &languages);

    static QStringList installedLanguages(); // looked up once per process
    // A request's "eng+deu": every pack installed, none twice, at most a
    // few; anything else (a path, "eng+eng+...") is refused with the list.
    static Result<void> checkLanguages(const QString &languages);

private:
    bool ensureLanguages(const QString &languages, QString *error);
    struct Orientation {
        int rotation = 0;     // clockwise degrees (0, 90, 180, 270) the page is turned by
        QString script;       // e.g. "Latin", "Han", "Arabic"; empty when unsure
        QString likelyScript; // the detector's guess, however unsure
    };
    // Tesseract's orientation and script detection; neutral when unsure.
    Orientation detectOrientation(const QImage &gray, double dpi);
    bool ensureOrientationDetector(); // false where its pack is not installed
    std::optional<Orientation> detectOrientationAt(const QImage &gray, double dpi, bool onlySure);
    // A reading of the page turned back by `rotation` clockwise degrees (0:
    // as it lies) and levelled, still in m_api: where detection then finds
    // the page turned so and in the expected script, reading it again would
    // give the same, so it is kept. confidence is -1 where it failed.
    struct TurnedReading {
        QImage level;
        QTransform toPage;
        int confidence = -1;
        int rotation = 0;
    };
    // `frame`, the page as given, goes to Tesseract as its 1-bit ink where
    // it is black and white and stays as it lay; null: never.
    TurnedReading readTurnedBack(const QImage &frame, const QImage &gray, int rotation, double dpi,
                                 const QString &packs, QString *error, const ScanCleanupOptions &cleanup);
    PageText recognizeAnyOrientation(const QImage &gray, double dpi, const QString &languages, QString *error,
                                     const ScanCleanupOptions &cleanup,
                                     const std::optional<TurnedReading> &first = std::nullopt);
    // Levels `gray` (a scan's few degrees of skew) where asked; returns the
    // levelling.
    QTransform levelled(QImage &gray, double dpi, const ScanCleanupOptions &cleanup);
    // How Tesseract turns the page's greys into ink: one threshold for the
    // whole page, or one per tile (small print beside a photo or on a
    // tinted box keeps its strokes).
    enum class Threshold { Global, Adaptive };
    // Reads `gray` with `languages` (simplified and traditional Chinese one
    // at a time); the mean word confidence (0-100) of the reading kept.
    // `ink`, where given, is the same page's ink as 1-bit (a black-and-white
    // scan's own bits): Tesseract takes it as its thresholding.
    int read(const QImage &gray, double dpi, const QString &languages, QString *error,
             Threshold threshold = Threshold::Global, Pix *ink = nullptr);
    int readAs(const QImage &gray, double dpi, const QString &languages, QString *error, Threshold threshold,
               Pix *ink);
    // The last read's characters weighed by their words' confidence: how
    // much of the page it read, and how surely.
    double sureCharacters() const;
    bool readAsItLies() const;
    struct Reading {
        int confidence = 0;        // mean word confidence
        double sureCharacters = 0; // as sureCharacters()
        QString packs;             // the language packs that read it
    };
    // Reads small print again larger; `blocks` becomes that reading where
    // it is surer than `kept`, the reading they came from.
    void rereadSmallPrint(const QImage &gray, double dpi, const QTransform &toPage, const Reading &kept,
                          QList<TextBlock> &blocks);
    // The last read's paragraphs, mapped onto the page by `toPage`, in points.
    QList<TextBlock> blocks(const QTransform &toPage, double dpi);

    std::unique_ptr<tesseract::TessBaseAPI> m_api;
    std::unique_ptr<tesseract::TessBaseAPI> m_osd;
    // What prepare() started: loaded one after the other on one thread
    // (Tesseract's settings are partly global), handed over whole.
    struct PreparedEngines {
        QString languages;
        std::unique_ptr<tesseract::TessBaseAPI> api, osd;
        bool osdTried = false;
    };
    std::future<PreparedEngines> m_prepared;
    void startPreparing(const QString &languages, bool withOrientationDetector);
    void adoptPrepared(); // waits for them, if prepare() started them
    bool m_osdUnavailable = false;
    bool m_readUprightFirst = true; // false after a page whose upright reading was poor
    QString m_languages;
};

} // namespace DocRay
