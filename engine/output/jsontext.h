#pragma once

#include <QByteArray>
#include <QList>
#include <QStringView>

#include <utility>
#include <vector>

// Compact JSON written straight into bytes. The middle JSON of a long
// document is millions of values; building QJsonObject trees and
// serialising them took a third of a text-only parse. The text is what
// QJsonDocument::toJson(Compact) writes for the same values: members in
// QJsonObject's order (keys sorted), numbers as Qt writes them, strings as
// UTF-8 with the same escapes, so the bytes do not change.
namespace DocRay::JsonText {

QByteArray string(QStringView text);
QByteArray number(double value); // non-finite values are null
QByteArray number(int value);
QByteArray boolean(bool value);
// Items that are JSON text already.
QByteArray array(const QList<QByteArray> &items);

// An object's members, set in any order and written sorted by key; setting
// a key again replaces its value, as QJsonObject::insert does. Keys are
// ASCII literals.
class Object final
{
public:
    Object &set(const char *key, QByteArray json);
    Object &set(const char *key, QStringView text) { return set(key, string(text)); }
    Object &set(const char *key, const QString &text) { return set(key, string(text)); }
    Object &set(const char *key, double value) { return set(key, number(value)); }
    Object &set(const char *key, int value) { return set(key, number(value)); }
    Object &set(const char *key, bool value) { return set(key, boolean(value)); }
    QByteArray text() const;

private:
    std::vector<std::pair<const char *, QByteArray>> m_members;
};

} // namespace DocRay::JsonText
