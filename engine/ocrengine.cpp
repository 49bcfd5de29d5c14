#include "engine/ocrengine.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <vector>

namespace DocRay {

OcrEngine::OcrEngine() = default;

OcrEngine::~OcrEngine()
{
    if (m_api)
        m_api->End();
}

QStringList OcrEngine::installedLanguages()
{
    tesseract::TessBaseAPI api;
    if (api.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY) != 0)
        return {};
    std::vector<std::string> languages;
    api.GetAvailableLanguagesAsVector(&languages);
    api.End();
    QStringList result;
    for (const std::string &language : languages)
        if (language != "osd")
            result.append(QString::fromStdString(language));
    result.sort();
    return result;
}

bool OcrEngine::ensureLanguages(const QString &languages, QString *error)
{
    if (m_api && m_languages == languages)
        return true;
    if (m_api)
        m_api->End();
    m_api = std::make_unique<tesseract::TessBaseAPI>();
    if (m_api->Init(nullptr, languages.toUtf8().constData(), tesseract::OEM_LSTM_ONLY) != 0) {
        m_api.reset();
        m_languages.clear();
        *error = QStringLiteral("OCR language '%1' is not installed (installed: %2).")
                     .arg(languages, installedLanguages().join(QStringLiteral(", ")));
        return false;
    }
    m_api->SetPageSegMode(tesseract::PSM_AUTO);
    m_languages = languages;
    return true;
}

QList<TextLine> OcrEngine::recognize(const QImage &image, double dpi, const QString &languages,
                                     QString *error)
{
    QList<TextLine> lines;
    if (!ensureLanguages(languages.isEmpty() ? QStringLiteral("eng") : languages, error))
        return lines;

    const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
    m_api->SetImage(gray.constBits(), gray.width(), gray.height(), 1,
                    static_cast<int>(gray.bytesPerLine()));
    m_api->SetSourceResolution(static_cast<int>(dpi));
    if (m_api->Recognize(nullptr) != 0) {
        *error = QStringLiteral("OCR failed on a page image of %1x%2 pixels.")
                     .arg(gray.width())
                     .arg(gray.height());
        return lines;
    }

    const double toPoints = 72.0 / dpi;
    std::unique_ptr<tesseract::ResultIterator> it(m_api->GetIterator());
    if (!it)
        return lines;
    const auto level = tesseract::RIL_WORD;
    do {
        std::unique_ptr<char[]> word(it->GetUTF8Text(level));
        if (!word)
            continue;
        int left = 0, top = 0, right = 0, bottom = 0;
        it->BoundingBox(level, &left, &top, &right, &bottom);
        TextSpan span;
        span.text = QString::fromUtf8(word.get()).trimmed();
        if (span.text.isEmpty())
            continue;
        span.bbox = QRectF(left * toPoints, top * toPoints, (right - left) * toPoints,
                           (bottom - top) * toPoints);
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE) || lines.isEmpty()) {
            int lineTop = 0, lineBottom = 0, unused = 0;
            it->BoundingBox(tesseract::RIL_TEXTLINE, &unused, &lineTop, &unused, &lineBottom);
            TextLine line;
            line.bbox = span.bbox;
            lines.append(line);
            // A line's height is about the font's size; words alone vary with ascenders.
            lines.last().bbox.setHeight((lineBottom - lineTop) * toPoints);
        }
        span.fontSize = lines.last().bbox.height() * 0.8;
        TextLine &line = lines.last();
        line.spans.append(span);
        line.bbox = line.bbox.united(span.bbox);
    } while (it->Next(level));
    m_api->Clear();
    return lines;
}

} // namespace DocRay
