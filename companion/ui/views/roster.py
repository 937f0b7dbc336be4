"""A cohort's roster: one row per participant, one column per worksheet template
handed in, sortable by any column; a click on a worksheet opens it, read only.

The table is a Qt model (:class:`RosterModel`) behind a sort proxy, so forty
participants by sixteen templates are drawn from data, not from a widget per
cell. Every name and title comes from a participant's file and is shown as
text (:mod:`companion.ui.plain`)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QPlainTextEdit, QTableView, QVBoxLayout,
)

from companion.ui.plain import plain_label, tooltip
from companion.ui.numbers import filled

SORT_ROLE = Qt.ItemDataRole.UserRole
FIXED = 5  # name, organisation, city, country, handed in
COMPLETE = QColor("#d3ecd9")
DRAFT = QColor("#fbedc8")


class RosterModel(QAbstractTableModel):
    """The roster as data: participants as rows; their details, then one column per template."""

    def __init__(self, cohort, parent=None) -> None:
        super().__init__(parent)
        self.cohort = cohort
        self.rows = cohort.roster()
        self.templates = cohort.handed_templates()
        self.headers = [self.tr("Name"), self.tr("Organisation"), self.tr("City"), self.tr("Country"),
                        self.tr("Handed in")] + [tp.title for tp in self.templates]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.headers[section])
        return None

    def worksheet_at(self, row: int, column: int):
        """The worksheet in a cell of the roster, or None (a detail, or not handed in)."""
        if column < FIXED or not 0 <= row < len(self.rows):
            return None
        return self.rows[row][1].get(self.templates[column - FIXED].id)

    def person_at(self, row: int):
        return self.rows[row][0]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        person, handed = self.rows[index.row()]
        column = index.column()
        if column < FIXED:
            value = (person.name, person.organisation, person.city, person.country, len(handed))[column]
            if role == Qt.ItemDataRole.DisplayRole:
                return str(value)
            if role == SORT_ROLE:
                return value if isinstance(value, int) else value.casefold()
            if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str) and value:
                return tooltip(value)
            return None
        w = self.worksheet_at(index.row(), column)
        if role == SORT_ROLE:
            return -1 if w is None else w.completion + (1000 if w.status == "complete" else 0)
        if w is None:
            return "–" if role == Qt.ItemDataRole.DisplayRole else None
        status = self.tr("complete") if w.status == "complete" else self.tr("draft")
        if role == Qt.ItemDataRole.DisplayRole:
            return filled(self.tr("%d%% · %s"), w.completion, status)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(COMPLETE if w.status == "complete" else DRAFT)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#1f2933"))  # dark on the pale shades, in a dark theme too
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(filled(self.tr("%s\n%s, %d%% filled in\nLast saved %s (UTC)\nTemplate version %d\n"
                                          "Click to open it, read only"),
                                  w.title, status, w.completion, w.saved_text or "?", w.template_version))
        return None


class RosterDialog(QDialog):
    save_requested = Signal()
    """Emitted when the trainer asks to save the report's three files."""
    worksheet_opened = Signal(object)
    """Emitted with the worksheet a click opened, once its window is shown."""

    def __init__(self, cohort, parent=None) -> None:
        super().__init__(parent)
        self.cohort = cohort
        self.setWindowTitle(self.tr("Cohort report"))
        self.setAccessibleName(self.tr("Cohort report"))
        self.resize(1100, 640)
        layout = QVBoxLayout(self)
        summary = filled(self.tr("Participants: %d · worksheets: %d · handed in more than once (each counted once): "
                                 "%d · files that could not be read: %d"), len(cohort.people), len(cohort.worksheets),
                         cohort.set_aside, len(cohort.not_read))
        self.summary = plain_label(summary, self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.notice = plain_label(self.tr("These files hold participants' personal data. Nothing was imported "
                                          "into your workbook; keep what you save for the course and do not "
                                          "pass it on."), self)
        self.notice.setWordWrap(True)
        bold = self.notice.font()
        bold.setBold(True)
        self.notice.setFont(bold)
        layout.addWidget(self.notice)
        self.model = RosterModel(cohort, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("roster")
        self.table.setAccessibleName(self.tr("Roster: one row per participant, one column per worksheet"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(130)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long title ends in "…"; its tooltip says all
        self.table.setColumnWidth(0, 180)
        self.table.setColumnWidth(FIXED - 1, 80)
        layout.addWidget(self.table, 1)
        self.unread = QPlainTextEdit(self)
        self.unread.setAccessibleName(self.tr("Files that could not be read, and why"))
        self.unread.setReadOnly(True)
        self.unread.setPlainText("\n".join(f"{n.file}: {n.reason}" for n in cohort.not_read))
        self.unread.setMaximumHeight(90)
        self.unread.setVisible(bool(cohort.not_read))
        layout.addWidget(self.unread)
        self.saved = plain_label("", self)
        layout.addWidget(self.saved)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.save_button = buttons.addButton(self.tr("&Save the report…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setAccessibleName(self.tr("Save cohort.pdf, cohort.xlsx and cohort.sqlite"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self.save_requested.emit)
        self.table.clicked.connect(self.open_index)
        self.table.activated.connect(self.open_index)

    def open_index(self, index) -> None:
        """Open the worksheet of a cell of the (sorted) table, read only."""
        source = self.proxy.mapToSource(index)
        self.open_cell(source.row(), source.column())

    def open_cell(self, row: int, column: int) -> None:
        worksheet = self.model.worksheet_at(row, column)
        if worksheet is None:
            return
        from companion.ui.views.cohort_worksheet import HandedInDialog

        dialog = HandedInDialog(worksheet, self.model.person_at(row), self)
        dialog.show()
        self.worksheet_opened.emit(dialog)

    def saved_to(self, folder: str) -> None:
        self.saved.setText(self.tr("Saved cohort.pdf, cohort.xlsx and cohort.sqlite in %s") % folder)
