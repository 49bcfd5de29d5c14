#pragma once

#include <QString>
#include <QStringList>

#include <random>

namespace DocRay::BlockData {

// The words the painted documents are made of, and the font families.
extern const QStringList kWords;
extern const QStringList kFamilies;

// One document's look, drawn once per document.
struct Style {
    QString family;
    double body = 10;
    double titleSize = 20;
    double headingSize = 14;
    double subheadingSize = 12;
    bool headingBold = true;
    bool numbered = false;
    int columns = 1;
    double margin = 60;
    double paragraphGap = 6;
    double lineFactor = 1.25;
    bool indentFirst = false;
    bool tightHeadings = false; // no space between a heading and its text
    bool header = true;
    int pageNumberStyle = 0; // 0 none, 1 "3", 2 "Page 3", 3 "- 3 -", 4 "3 of N", 5 in the running head
    bool pageNumberTop = false;
    bool footer = false;
    QString runningHead;
    QString footerText;
};


// Seeded randomness as the painter uses it: numbers, chances, words and
// headings. Same seed, same sequence.
class RandomText
{
public:
    explicit RandomText(quint32 seed) : m_random(seed) {}

    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); }
    double real(double low, double high) { return std::uniform_real_distribution<double>(low, high)(m_random); }
    bool chance(double p) { return real(0, 1) < p; }

    QString words(int count, bool capitalise = true);
    QString titleCase(int count);
    // Title Case, Sentence case (a comma at times) or CAPITALS.
    QString headingText();
    QString sentence();
    // A document's random look.
    Style style();

private:
    std::mt19937 m_random;
};

} // namespace DocRay::BlockData
