#pragma once

#include "engine/core/result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace DocRay {

// A ZIP archive made in memory: a result packed for download. Members are
// kept until finish(); text is deflated, PNG and PDF bytes stored as they are.
class ZipWriter final
{
public:
    void add(const QString &name, const QByteArray &bytes, bool compress);
    Result<QByteArray> finish() const;

private:
    struct Member {
        QString name;
        QByteArray bytes;
        bool compress = true;
    };
    QList<Member> m_members;
};

} // namespace DocRay
