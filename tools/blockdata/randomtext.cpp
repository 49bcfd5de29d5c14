#include "tools/blockdata/randomtext.h"

namespace DocRay::BlockData {

const QStringList kWords = QStringLiteral(
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you "
    "were their one all we can her has there been if more when will would who so no model data system analysis method "
    "results table value process structure function network document section paper approach between number design "
    "water energy market policy report study group level order state power field light surface pressure engine "
    "aircraft control signal measure sample temperature material element figure first second general public national "
    "research development information program service management company government history education community")
        .split(QLatin1Char(' '));

const QStringList kFamilies{QStringLiteral("DejaVu Sans"), QStringLiteral("DejaVu Serif"),
                            QStringLiteral("DejaVu Sans Condensed"), QStringLiteral("DejaVu Serif Condensed")};

QString RandomText::words(int count, bool capitalise)
{
    QStringList out;
    for (int i = 0; i < count; ++i)
        out.append(kWords[uniform(0, int(kWords.size()) - 1)]);
    if (capitalise && !out.isEmpty())
        out.first()[0] = out.first()[0].toUpper();
    return out.join(QLatin1Char(' '));
}

QString RandomText::titleCase(int count)
{
    QStringList out = words(count).split(QLatin1Char(' '));
    for (QString &word : out)
        if (word.size() > 3 || &word == &out.first())
            word[0] = word[0].toUpper();
    return out.join(QLatin1Char(' '));
}

QString RandomText::headingText()
{
    const int kind = uniform(0, 9);
    if (kind < 4)
        return titleCase(uniform(1, 6));
    if (kind < 9)
        return words(uniform(2, 4)) + (chance(0.3) ? QStringLiteral(", ") + words(uniform(1, 3), false) : QString());
    return words(uniform(1, 5)).toUpper();
}

QString RandomText::sentence()
{
    return words(uniform(6, 16)) + (chance(0.1) ? QStringLiteral(" (%1)").arg(uniform(1, 99)) : QString()) + QLatin1Char('.');
}

Style RandomText::style()
{
    Style s;
    s.family = kFamilies[uniform(0, int(kFamilies.size()) - 1)];
    s.body = real(8.5, 12);
    s.titleSize = s.body * real(1.5, 2.4);
    s.headingBold = chance(0.8);
    // Bold headings in the body's own size are common in reports.
    s.headingSize = s.body * (s.headingBold ? (chance(0.4) ? real(0.9, 1.0) : real(1.0, 1.6)) : real(1.2, 1.7));
    s.tightHeadings = chance(0.3);
    s.subheadingSize = qMax(s.body, s.headingSize * real(0.8, 0.95));
    s.numbered = chance(0.45);
    s.columns = chance(0.3) ? 2 : 1;
    s.margin = real(40, 80);
    s.paragraphGap = s.body * real(0.3, 1.2);
    s.lineFactor = real(1.15, 1.45);
    s.indentFirst = chance(0.25);
    s.header = chance(0.6);
    s.pageNumberStyle = uniform(0, 5);
    s.pageNumberTop = chance(0.25);
    s.footer = chance(0.3);
    s.runningHead = titleCase(uniform(2, 6));
    s.footerText = chance(0.5) ? QStringLiteral("© %1 %2").arg(uniform(1990, 2024)).arg(titleCase(2)) : words(uniform(3, 7));
    return s;
}

} // namespace DocRay::BlockData
