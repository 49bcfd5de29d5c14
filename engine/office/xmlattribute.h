#pragma once

#include <QXmlStreamReader>

namespace DocRay {

// An attribute by its local name, whatever its namespace: the transitional
// and strict OOXML schemas (and ODF) use different URIs for the same
// vocabulary, and no name the readers look at is ambiguous within a part.
inline QString xmlAttribute(const QXmlStreamReader &xml, QStringView localName)
{
    const QXmlStreamAttributes attributes = xml.attributes();
    for (const QXmlStreamAttribute &a : attributes) {
        if (a.name() == localName)
            return a.value().toString();
    }
    return {};
}

} // namespace DocRay
