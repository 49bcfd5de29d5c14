#include "engine/output/jsontext.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace DocRay::JsonText {

namespace {

char hexDigit(unsigned value)
{
    return "0123456789abcdef"[value & 0xf];
}

void appendEscape(QByteArray &out, char16_t unit)
{
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
        out += hexDigit(unit >> shift);
}

void appendUtf8(QByteArray &out, char32_t code)
{
    if (code < 0x800) {
        out += char(0xc0 | (code >> 6));
    } else if (code < 0x10000) {
        out += char(0xe0 | (code >> 12));
        out += char(0x80 | ((code >> 6) & 0x3f));
    } else {
        out += char(0xf0 | (code >> 18));
        out += char(0x80 | ((code >> 12) & 0x3f));
        out += char(0x80 | ((code >> 6) & 0x3f));
    }
    out += char(0x80 | (code & 0x3f));
}

} // namespace

QByteArray string(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    const char16_t *unit = text.utf16();
    const char16_t *const end = unit + text.size();
    while (unit != end) {
        const char16_t u = *unit++;
        if (u < 0x80) {
            switch (u) {
            case u'"': out += "\\\""; break;
            case u'\\': out += "\\\\"; break;
            case u'\b': out += "\\b"; break;
            case u'\f': out += "\\f"; break;
            case u'\n': out += "\\n"; break;
            case u'\r': out += "\\r"; break;
            case u'\t': out += "\\t"; break;
            default:
                if (u < 0x20)
                    appendEscape(out, u);
                else
                    out += char(u);
            }
        } else if (QChar::isHighSurrogate(u) && unit != end && QChar::isLowSurrogate(*unit)) {
            appendUtf8(out, QChar::surrogateToUcs4(u, *unit++));
        } else if (QChar::isSurrogate(u)) {
            appendEscape(out, u); // no character to encode: JSON's escape keeps the unit
        } else {
            appendUtf8(out, u);
        }
    }
    out += '"';
    return out;
}

QByteArray number(double value)
{
    if (!std::isfinite(value))
        return QByteArrayLiteral("null");
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray number(int value)
{
    return QByteArray::number(value);
}

QByteArray boolean(bool value)
{
    return value ? QByteArrayLiteral("true") : QByteArrayLiteral("false");
}

QByteArray array(const QList<QByteArray> &items)
{
    qsizetype size = 2 + std::max<qsizetype>(0, items.size() - 1);
    for (const QByteArray &item : items)
        size += item.size();
    QByteArray out;
    out.reserve(size);
    out += '[';
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        out += items[i];
    }
    out += ']';
    return out;
}

Object &Object::set(const char *key, QByteArray json)
{
    const auto same = std::find_if(m_members.begin(), m_members.end(),
                                   [key](const auto &member) { return std::strcmp(member.first, key) == 0; });
    if (same != m_members.end())
        same->second = std::move(json);
    else
        m_members.emplace_back(key, std::move(json));
    return *this;
}

QByteArray Object::text() const
{
    std::vector<const std::pair<const char *, QByteArray> *> sorted;
    qsizetype size = 2;
    for (const auto &member : m_members) {
        sorted.push_back(&member);
        size += qsizetype(std::strlen(member.first)) + 4 + member.second.size();
    }
    std::sort(sorted.begin(), sorted.end(), [](const auto *a, const auto *b) { return std::strcmp(a->first, b->first) < 0; });
    QByteArray out;
    out.reserve(size);
    out += '{';
    for (size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0)
            out += ',';
        out += '"';
        out += sorted[i]->first;
        out += "\":";
        out += sorted[i]->second;
    }
    out += '}';
    return out;
}

} // namespace DocRay::JsonText
