#pragma once

#include <QFrame>

class QLabel;

namespace DocRay {

// An inline, dismissible message strip above the job list: refusals and
// failures are said where the user looks, without a modal dialog that would
// stop a drop of many files (or a test). Main thread.
class NoticeBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBar)

public:
    enum class Kind { Information, Warning };

    explicit NoticeBar(QWidget *parent = nullptr);

    void showMessage(const QString &text, Kind kind);
    QString text() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateColors();

    QLabel *m_icon;
    QLabel *m_text;
    Kind m_kind = Kind::Information;
};

} // namespace DocRay
