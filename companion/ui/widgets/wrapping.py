"""A check box whose label wraps to the width the form gives it.

A plain QCheckBox asks for its whole label on one line, so one long option
(an objective of the Global Compact, say) makes the whole form wider than
the window and it scrolls sideways. This one keeps its text, its keyboard and
its accessible name, and lays the text out on as many lines as the width
needs, in either direction of writing."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QCheckBox, QSizePolicy, QStyle, QStyleOptionButton, QStyleOptionFocusRect, QStylePainter

_TEXT_FLAGS = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic
MIN_TEXT_CHARACTERS = 16  # the narrowest the label may become, in average characters


class WrappingCheckBox(QCheckBox):
    def __init__(self, text: str, parent=None) -> None:
        super().__init__(text, parent)
        self._sizes: dict[tuple[str, int], int] = {}  # (text, width) to the height it takes (-1: the indent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.LayoutDirectionChange):
            self._sizes.clear()  # measured again in the new font or style
        super().changeEvent(event)

    def _measured(self, width: int) -> int:
        """The text's height at ``width`` (-1: the room beside the text), measured once
        for each text and width: a form's layout asks each box many times."""
        key = (self.text(), width)
        found = self._sizes.get(key)
        if found is None:
            if len(self._sizes) > 64:
                self._sizes.clear()
            if width < 0:
                found = super().sizeHint().width() - self.fontMetrics().boundingRect(
                    QRect(0, 0, 100000, 1000), _TEXT_FLAGS, self.text()).width()
            else:
                found = self.fontMetrics().boundingRect(QRect(0, 0, width, 100000), _TEXT_FLAGS, self.text()).height()
            self._sizes[key] = found
        return found

    def _option(self, width: int | None = None) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        line = max(self.fontMetrics().height(), super().sizeHint().height())
        option.rect = QRect(0, 0, self.width() if width is None else width, line)  # one line: the box at its top
        return option

    def _indent(self) -> int:
        """The room the box and its spacing take beside the text."""
        return self._measured(-1)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(super().sizeHint().height(), self._measured(max(1, width - self._indent())) + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        width = self._indent() + self.fontMetrics().averageCharWidth() * MIN_TEXT_CHARACTERS
        return QSize(min(width, super().sizeHint().width()), super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 - Qt API
        return self.rect().contains(pos)  # a click on any line of the text ticks the box

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        painter = QStylePainter(self)
        option = self._option()
        indicator = QStyleOptionButton(option)
        indicator.rect = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        painter.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorCheckBox, indicator)
        contents = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self)
        text_rect = QRect(contents.left(), 0, contents.width(), self.height())  # mirrored in right-to-left
        align = QStyle.visualAlignment(self.layoutDirection(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        painter.drawItemText(text_rect, int(align) | int(_TEXT_FLAGS), self.palette(), self.isEnabled(), self.text())
        if self.hasFocus():
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = self.style().itemTextRect(self.fontMetrics(), text_rect, int(align) | int(_TEXT_FLAGS),
                                                   self.isEnabled(), self.text()).adjusted(-1, 0, 1, 0)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)
