"""Follow-up of an action plan: each activity's status, and a form to record a check-in."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from companion.worksheets import followup
from companion.errors import CompanionError
from companion.ui import dialogs
from companion.ui.export_place import file_name, remember, suggested_path
from companion.ui.plain import plain_label
from companion.ui.widgets.dates import ISO_FORMAT, DateLineEdit, NotADate, example
from companion.ui.widgets.direction import OwnDirectionDelegate
from companion.ui.numbers import filled

STATUS_COLOURS = {followup.DONE: "#1a7f37", followup.IN_PROGRESS: "#0b5cad", followup.BLOCKED: "#b42318",
                  "late": "#b42318"}
DARK_COLOURS = {followup.DONE: "#5fd38d", followup.IN_PROGRESS: "#7cc4ff", followup.BLOCKED: "#ff8a80",
                "late": "#ff8a80"}


class FollowUpView(QWidget):
    open_requested = Signal(int)
    """Emitted with a worksheet id the person wants to open (the plan itself)."""
    start_requested = Signal(str)
    """Emitted with a template id when the person wants to start an action plan."""
    checked_in = Signal(int)
    """Emitted with the worksheet id after a check-in is recorded."""

    def __init__(self, workbook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workbook = workbook
        self.current: followup.FollowUp | None = None
        self._start: str | None = None  # the template to start a plan from
        self._stale = False  # plans changed while the view was not on screen (an import, a save)
        self._build()
        self._connect_signals()

    # building --------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QWidget(self)
        header.setObjectName("studyHeader")
        top = QVBoxLayout(header)
        kicker = QLabel(self.tr("After the course"), header)
        kicker.setObjectName("kicker")
        title = QLabel(self.tr("Follow-up of your action plan"), header)
        title.setObjectName("pageTitle")
        line = QHBoxLayout()
        plan_label = QLabel(self.tr("&Plan:"), header)
        self.plans = QComboBox(header)
        self.plans.setAccessibleName(self.tr("Action plan to follow up"))
        self.plans.setMinimumContentsLength(30)
        plan_label.setBuddy(self.plans)
        self.open_button = QPushButton(self.tr("Open the plan"), header)
        self.open_button.setAccessibleName(self.tr("Open this action plan"))
        self.report_button = QPushButton(self.tr("Follow-up report PDF…"), header)
        self.report_button.setAccessibleName(self.tr("Save the follow-up report as a PDF"))
        line.addWidget(plan_label)
        line.addWidget(self.plans, 1)
        line.addWidget(self.open_button)
        line.addWidget(self.report_button)
        self.summary = plain_label("", header)
        self.summary.setObjectName("savedIndicator")
        self.summary.setAccessibleName(self.tr("Summary of the plan's progress"))
        self.banner = plain_label("", header)  # a reason may name a file
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        for widget in (kicker, title):
            top.addWidget(widget)
        top.addLayout(line)
        top.addWidget(self.summary)
        top.addWidget(self.banner)
        layout.addWidget(header)

        body = QVBoxLayout()
        body.setContentsMargins(16, 8, 16, 12)
        self.empty = QWidget(self)
        empty_line = QVBoxLayout(self.empty)
        self.empty_label = plain_label(self.tr("You have no action plan yet. Start one, fill in its activities, "
                                               "then come back here after the course to record how each one "
                                               "goes."), self.empty)
        self.empty_label.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Start an action plan"), self.empty)
        empty_line.addWidget(self.empty_label)
        empty_line.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_line.addStretch(1)
        body.addWidget(self.empty)

        self.table = QTableWidget(0, 5, self)
        self.table.setItemDelegate(OwnDirectionDelegate(self.table))
        self.table.setAccessibleName(self.tr("Activities and their latest status"))
        self.table.setHorizontalHeaderLabels([self.tr("Activity"), self.tr("Planned"), self.tr("Status"),
                                              self.tr("Since"), self.tr("Latest comment")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        body.addWidget(self.table, 3)

        self.form_box = QGroupBox(self.tr("Record a check-in"), self)
        form = QFormLayout(self.form_box)
        self.activity = QComboBox(self.form_box)
        self.activity.setAccessibleName(self.tr("Activity"))
        self.status = QComboBox(self.form_box)
        self.status.setAccessibleName(self.tr("Status"))
        for status in followup.STATUSES:
            self.status.addItem(followup.status_label(status).capitalize(), status)
        self.date = DateLineEdit(self.form_box)
        self.date.setAccessibleName(self.tr("Date of the check-in"))
        self.comment = QLineEdit(self.form_box)
        self.comment.setAccessibleName(self.tr("Comment"))
        self.comment.setPlaceholderText(self.tr("What happened, what helped, what is blocking"))
        self.comment.setMaxLength(followup.MAX_COMMENT)
        self.record_button = QPushButton(self.tr("&Record check-in"), self.form_box)
        self.record_button.setAccessibleName(self.tr("Record this check-in"))
        form.addRow(self.tr("&Activity:"), self.activity)
        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("&Date:"), self.date)
        form.addRow(self.tr("&Comment:"), self.comment)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.record_button)
        form.addRow(buttons)

        self.history_label = plain_label(self.tr("Check-ins of the selected activity"), self)  # names an activity
        self.history_label.setObjectName("help")
        self.history_label.setWordWrap(True)
        self.history = QTableWidget(0, 3, self)
        self.history.setItemDelegate(OwnDirectionDelegate(self.history))
        self.history.setAccessibleName(self.tr("Check-ins of the selected activity"))
        self.history.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Status"), self.tr("Comment")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setTabKeyNavigation(False)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        lower = QHBoxLayout()
        lower.addWidget(self.form_box, 1)
        right = QVBoxLayout()
        right.addWidget(self.history_label)
        right.addWidget(self.history, 1)
        lower.addLayout(right, 1)
        body.addLayout(lower, 2)
        layout.addLayout(body, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        QTimer.singleShot(0, self._fit_rows)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()
        QTimer.singleShot(0, self._fit_rows)

    def mark_stale(self) -> None:
        """The plans may have changed (an import, a save): show them again now if
        the view is on screen, else when it next is."""
        if self.isVisible():
            try:
                self.refresh()
            except CompanionError as exc:
                self._warn(str(exc))
        else:
            self._stale = True

    def _fit_rows(self) -> None:
        self.table.resizeRowsToContents()
        self.history.resizeRowsToContents()

    def _connect_signals(self) -> None:
        self.plans.currentIndexChanged.connect(lambda _i: self._load())
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.activity.currentIndexChanged.connect(self._activity_chosen)
        self.record_button.clicked.connect(self.record)
        self.comment.returnPressed.connect(self.record)
        self.open_button.clicked.connect(lambda: self.current and self.open_requested.emit(self.current.worksheet.id))
        self.report_button.clicked.connect(self.save_report)
        self.start_button.clicked.connect(lambda: self._start and self.start_requested.emit(self._start))

    # showing ---------------------------------------------------------------------
    def refresh(self, worksheet_id: int | None = None) -> None:
        """List the plans again and show ``worksheet_id`` (or the one shown, or the latest)."""
        self._stale = False
        keep = worksheet_id if worksheet_id is not None else (self.current.worksheet.id if self.current else None)
        plans = self.workbook.followup.followable_worksheets()
        blocker = self.plans.blockSignals(True)
        self.plans.clear()
        for worksheet in plans:
            self.plans.addItem(worksheet.title, worksheet.id)
        index = self.plans.findData(keep) if keep is not None else 0
        self.plans.setCurrentIndex(max(0, index))
        self.plans.blockSignals(blocker)
        self.banner.hide()
        self._load()

    def _load(self) -> None:
        worksheet_id = self.plans.currentData()
        has_plan = worksheet_id is not None
        self.empty.setVisible(not has_plan)
        for widget in (self.table, self.form_box, self.history, self.history_label, self.open_button,
                       self.report_button):
            widget.setVisible(has_plan)
        self.current = None
        self.summary.setText("")
        if not has_plan:
            self._start = next((tp.id for tp in self.workbook.templates() if followup.is_followable(tp)), None)
            self.start_button.setVisible(self._start is not None)
            return
        try:
            self.current = self.workbook.followup.plan(worksheet_id)
        except CompanionError as exc:
            self._warn(str(exc))
            return
        today = dt.date.today()
        counts = self.current.counts()
        self.summary.setText(filled(self.tr("%d of %d activities done · %d in progress · %d blocked · %d not started"),
                                    counts[followup.DONE], len(self.current.activities),
                                    counts[followup.IN_PROGRESS], counts[followup.BLOCKED],
                                    counts[followup.NOT_STARTED]))
        self.table.setRowCount(len(self.current.activities))
        self.activity.blockSignals(True)
        self.activity.clear()
        for row, activity in enumerate(self.current.activities):
            late = activity.overdue(today)
            status = followup.status_label(activity.status) + (self.tr(" (past its end date)") if late else "")
            planned = " – ".join(x for x in (activity.values.get("start") or "", activity.values.get("end") or "") if x)
            latest = activity.latest
            cells = [f"{activity.row}. {activity.name}", planned, status,
                     latest.checked_on if latest else "", latest.comment if latest else ""]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2:
                    colour = self._colour("late" if late else activity.status)
                    if colour:
                        item.setForeground(QBrush(QColor(colour)))
                self.table.setItem(row, column, item)
            self.activity.addItem(f"{activity.row}. {activity.name}", activity.row)
        self.activity.blockSignals(False)
        self.table.resizeRowsToContents()
        self.form_box.setEnabled(bool(self.current.activities))
        self.date.setText(QDate.currentDate().toString(ISO_FORMAT))
        if self.current.activities:
            self.table.setCurrentCell(0, 0)
            self._select(0)
        else:
            self.history.setRowCount(0)
            self.summary.setText(self.tr("This plan has no activities yet: add them in the plan's Activities table."))

    def _select(self, row: int) -> None:
        if self.current is None or not 0 <= row < len(self.current.activities):
            return
        activity = self.current.activities[row]
        if self.activity.currentData() != activity.row:
            blocker = self.activity.blockSignals(True)
            self.activity.setCurrentIndex(self.activity.findData(activity.row))
            self.activity.blockSignals(blocker)
        index = self.status.findData(activity.status)
        self.status.setCurrentIndex(max(0, index))
        self.history_label.setText(self.tr("Check-ins of “%s”") % activity.name)
        self.history.setRowCount(len(activity.history))
        for r, checkin in enumerate(reversed(activity.history)):
            for c, text in enumerate((checkin.checked_on, followup.status_label(checkin.status), checkin.comment)):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.history.resizeRowsToContents()

    def _activity_chosen(self, index: int) -> None:
        row = self.activity.itemData(index)
        if row and self.table.currentRow() != row - 1:
            self.table.setCurrentCell(row - 1, 0)

    # acting ------------------------------------------------------------------------
    def record(self) -> None:
        if self.current is None:
            return
        worksheet_id = self.current.worksheet.id
        row = self.activity.currentData()
        try:
            day = self.date.iso()
        except NotADate:
            self._warn(self.tr("“%s” is not a date: type it as 2025-06-15 or %s.") % (self.date.text(), example()))
            self.date.setFocus()
            return
        if day is None:
            self._warn(self.tr("Type the date of the check-in, or choose it from the calendar."))
            self.date.setFocus()
            return
        try:
            self.workbook.followup.checkin(worksheet_id, row, self.status.currentData(), self.comment.text(), day)
        except CompanionError as exc:
            self._warn(str(exc))
            return
        self.banner.hide()
        self.comment.clear()
        self.refresh(worksheet_id)
        if row:
            self.table.setCurrentCell(row - 1, 0)
        self.checked_in.emit(worksheet_id)

    def save_report(self) -> None:
        if self.current is None:
            return
        suggested = file_name(self.current.worksheet.title, self.tr("action plan"))  # its letters, any script
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the follow-up report"),
                                              suggested_path(self.workbook, self.tr("%s - follow-up.pdf") % suggested),
                                              self.tr("PDF documents (*.pdf)"))
        if not path:
            return
        remember(self.workbook, path)
        try:
            self.workbook.followup.write_report(self.current.worksheet.id, path)
        except CompanionError as exc:
            dialogs.warning(self, self.tr("Report not saved"), str(exc))
            return
        self.summary.setText(self.tr("Saved the report to %s") % path)

    def _colour(self, status: str) -> str | None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        return (DARK_COLOURS if dark else STATUS_COLOURS).get(status)

    def _warn(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

