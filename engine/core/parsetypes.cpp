#include "engine/core/parsetypes.h"

#include <QJsonValue>

#include <functional>

namespace DocRay {

namespace {

// Reads parser_params keys into a ParserParams, keeping the first problem:
// a known key with a value of the wrong type or range.
class ParamsReader
{
public:
    explicit ParamsReader(const QJsonObject &json)
        : m_json(json)
    {
    }

    bool failed() const { return !m_problem.isEmpty(); }
    Error problem() const { return Error{ErrorCode::InvalidInput, m_problem}; }

    void readInt(const char *key, int *out)
    {
        const QJsonValue value = present(key);
        if (value.isUndefined())
            return;
        const double number = value.toDouble(-1.5);
        if (!value.isDouble() || number != static_cast<int>(number) || number < 0)
            fail(QStringLiteral("parser_params.%1 must be a non-negative integer.").arg(QLatin1String(key)));
        else
            *out = static_cast<int>(number);
    }

    void readBool(const char *key, bool *out)
    {
        const QJsonValue value = present(key);
        if (value.isUndefined())
            return;
        if (!value.isBool())
            fail(QStringLiteral("parser_params.%1 must be true or false.").arg(QLatin1String(key)));
        else
            *out = value.toBool();
    }

    // A string `accept` approves (trimmed and lower-cased first when asked);
    // `complaint` otherwise.
    void readString(const char *key, QString *out, const std::function<bool(const QString &)> &accept,
                    const QString &complaint, bool lowerCase = false)
    {
        const QJsonValue value = present(key);
        if (value.isUndefined())
            return;
        QString text = value.toString();
        if (lowerCase)
            text = text.trimmed().toLower();
        if (!value.isString() || !accept(text))
            fail(complaint);
        else
            *out = text;
    }

    void fail(const QString &problem)
    {
        if (m_problem.isEmpty())
            m_problem = problem;
    }

private:
    // Undefined for a key that is absent or null, and after a problem.
    QJsonValue present(const char *key) const
    {
        const QJsonValue value = m_json.value(QLatin1String(key));
        return failed() || value.isNull() ? QJsonValue(QJsonValue::Undefined) : value;
    }

    const QJsonObject &m_json;
    QString m_problem;
};

} // namespace

Result<ParserParams> ParserParams::fromJson(const QJsonObject &json)
{
    ParserParams params;
    ParamsReader reader(json);
    int endPage = -1;
    reader.readInt("start_page", &params.startPage);
    reader.readInt("end_page", &endPage);
    reader.readBool("force_ocr", &params.forceOcr);
    reader.readBool("formula_enable", &params.formulaEnable);
    reader.readBool("table_enable", &params.tableEnable);
    reader.readBool("figure_enable", &params.figureEnable);
    reader.readString("password", &params.password, [](const QString &) { return true; },
                      QStringLiteral("parser_params.password must be a string."));
    reader.readBool("docx_native", &params.docxNative);
    reader.readBool("scan_cleanup", &params.scanCleanup);
    reader.readBool("block_model", &params.blockModel);
    reader.readString(
        "device", &params.device,
        [](const QString &name) {
            return name == QLatin1String("auto") || name == QLatin1String("cpu") || name == QLatin1String("cuda");
        },
        QStringLiteral("parser_params.device must be \"auto\", \"cpu\" or \"cuda\"."), true);
    reader.readString("lang", &params.language, [](const QString &lang) { return !lang.trimmed().isEmpty(); },
                      QStringLiteral("parser_params.lang must be a language string such as \"eng\" or \"eng+deu\"."));
    params.language = params.language.trimmed();
    params.endPage = endPage;
    if (params.endPage >= 0 && params.endPage < params.startPage)
        reader.fail(QStringLiteral("parser_params.end_page must not be before start_page."));
    if (reader.failed())
        return reader.problem();
    return params;
}

QJsonObject ParserParams::toJson() const
{
    QJsonObject json{{QStringLiteral("start_page"), startPage},
                     {QStringLiteral("force_ocr"), forceOcr},
                     {QStringLiteral("formula_enable"), formulaEnable},
                     {QStringLiteral("table_enable"), tableEnable},
                     {QStringLiteral("figure_enable"), figureEnable},
                     {QStringLiteral("docx_native"), docxNative},
                     {QStringLiteral("scan_cleanup"), scanCleanup},
                     {QStringLiteral("block_model"), blockModel}};
    if (endPage >= 0)
        json.insert(QStringLiteral("end_page"), endPage);
    if (!language.isEmpty())
        json.insert(QStringLiteral("lang"), language);
    if (!password.isEmpty())
        json.insert(QStringLiteral("password"), password);
    if (!device.isEmpty())
        json.insert(QStringLiteral("device"), device);
    return json;
}

} // namespace DocRay
