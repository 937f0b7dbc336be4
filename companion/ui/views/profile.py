"""The participant's profile, asked once on first run and editable later."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from companion import messages


WRAP_SLACK = 4  # pixels: a wrapped Arabic line can be drawn a little wider than it was measured


class ProfileDialog(QDialog):
    """The profile, and the language of the companion (on the first start, the system's is proposed)."""

    def __init__(self, profile: dict[str, str], parent=None, language: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Your profile"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("These details go on the cover of the worksheets you export, so that colleagues "
                               "know whose work they are reading. They stay on this computer. "
                               "You can change them later in Edit → Your profile."), self)
        intro.setWordWrap(True)
        intro.setMargin(WRAP_SLACK)
        layout.addWidget(intro)
        form = QFormLayout()
        labels = {"name": self.tr("&Name"), "organisation": self.tr("&Organisation"), "role": self.tr("&Role"),
                  "city": self.tr("&City"), "country": self.tr("C&ountry")}
        self.edits: dict[str, QLineEdit] = {}
        for key, label in labels.items():
            edit = QLineEdit(profile.get(key, ""), self)
            edit.setAccessibleName(label.replace("&", ""))
            edit.setMaxLength(200)
            form.addRow(label, edit)
            self.edits[key] = edit
        self.languages = QComboBox(self)
        self.languages.setAccessibleName(self.tr("Language"))
        for code in messages.LANGUAGES:
            self.languages.addItem(messages.NAMES[code], code)
        self.languages.setCurrentIndex(max(0, self.languages.findData(language or messages.current_language())))
        self.proposed = self.languages.currentData()
        form.addRow(self.tr("&Language:"), self.languages)
        note = QLabel(self.tr("The course content is shown in this language where a content pack "
                              "in it is installed, in English otherwise."), self)
        note.setWordWrap(True)
        note.setMargin(WRAP_SLACK)
        form.addRow("", note)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

    def language(self) -> str | None:
        """The language chosen, or None when the one proposed was left as it was."""
        chosen = self.languages.currentData()
        return None if chosen == self.proposed else chosen
