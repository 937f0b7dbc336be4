"""A topic's knowledge check: its questions, the person's answers, and why
each answer is right or not. Answers are kept by the study service."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QGroupBox, QPushButton, QRadioButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from companion.errors import CompanionError
from companion.ui.plain import no_mnemonic, plain_label


class QuestionBox(QGroupBox):
    """One question: its options, a button to check the answer, and the feedback."""

    def __init__(self, study, topic_id: str, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.study, self.topic_id, self.question = study, topic_id, state.question
        self.setAccessibleName(self.question.text)
        layout = QVBoxLayout(self)
        text = plain_label(self.question.text, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.group = QButtonGroup(self)
        self.group.setExclusive(self.question.kind == "single")
        self.buttons: dict[str, QAbstractButton] = {}
        for option in self.question.options:
            kind = QRadioButton if self.question.kind == "single" else QCheckBox
            button = kind(no_mnemonic(option.text), self)
            button.setAccessibleName(option.text)
            button.setChecked(option.id in state.chosen)
            self.group.addButton(button)
            self.buttons[option.id] = button
            layout.addWidget(button)
        self.check_button = QPushButton(self.tr("Check my answer"), self)
        self.check_button.setAccessibleName(self.tr("Check my answer to: %s") % self.question.text)
        self.check_button.clicked.connect(self.check)
        layout.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.feedback = plain_label("", self)
        self.feedback.setWordWrap(True)
        self.feedback.setAccessibleName(self.tr("Feedback"))
        layout.addWidget(self.feedback)
        if state.right is not None:
            self._show(state)

    def chosen(self) -> list[str]:
        return [option_id for option_id, button in self.buttons.items() if button.isChecked()]

    def check(self) -> None:
        try:
            state = self.study.answer_question(self.topic_id, self.question.id, self.chosen())
        except CompanionError as exc:
            self.feedback.setText(str(exc))
            return
        self._show(state)

    def _show(self, state) -> None:
        verdict = self.tr("Right.") if state.right else self.tr("Not quite.")
        lines = [verdict]
        for option in self.question.options:
            if option.id in state.chosen or option.correct:
                mark = self.tr("Your answer") if option.id in state.chosen else self.tr("The right answer")
                if option.id in state.chosen and not option.correct:
                    mark = self.tr("Your answer, not right")
                lines.append(f"{mark}: {option.text}\n{option.feedback}")
        self.feedback.setText("\n\n".join(lines))
        self.feedback.setObjectName("checkRight" if state.right else "checkWrong")


class KnowledgeCheck(QDialog):
    """Every question of one topic, answered one by one."""

    def __init__(self, study, topic_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check your understanding: %s") % title)
        self.setAccessibleName(self.windowTitle())
        self.resize(720, 640)
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        column = QVBoxLayout(inner)
        state = study.check(topic_id)
        self.questions = [QuestionBox(study, topic_id, q, inner) for q in (state.questions if state else [])]
        for box in self.questions:
            column.addWidget(box)
        column.addStretch(1)
        scroll.setWidget(inner)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        layout.addWidget(buttons)
        if self.questions:
            first = next(iter(self.questions[0].buttons.values()))
            first.setFocus()
