#include "engine/output/markdowntable.h"

#include <QRegularExpression>

namespace DocRay::MarkdownTable {

QString escapeCell(const QString &text)
{
    static const QRegularExpression whitespace(QStringLiteral("\\s+"));
    QString cell = text;
    cell.replace(whitespace, QStringLiteral(" "));
    cell.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    return cell.trimmed();
}

QString render(const QList<QStringList> &rows)
{
    qsizetype columns = 0;
    for (const QStringList &row : rows)
        columns = qMax(columns, row.size());
    if (rows.isEmpty() || columns == 0)
        return {};
    QString out;
    auto writeRow = [&](const QStringList &row) {
        out += QLatin1Char('|');
        for (qsizetype c = 0; c < columns; ++c) {
            const QString cell = c < row.size() ? escapeCell(row[c]) : QString();
            out += cell.isEmpty() ? QStringLiteral("  |") : QLatin1Char(' ') + cell + QStringLiteral(" |");
        }
        out += QLatin1Char('\n');
    };
    writeRow(rows.first());
    out += QLatin1Char('|');
    for (qsizetype c = 0; c < columns; ++c)
        out += QStringLiteral(" --- |");
    out += QLatin1Char('\n');
    for (qsizetype r = 1; r < rows.size(); ++r)
        writeRow(rows[r]);
    return out;
}

} // namespace DocRay::MarkdownTable
