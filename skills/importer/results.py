"""What an import reports: the problems that stop it, each where it is in the file, and the counts."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """Something that stops the import, where it is in the file: line 1 is the header."""

    line: int | None
    column: str
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        if self.column:
            return f"line {self.line}, {self.column}: {self.message}"
        return f"line {self.line}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or (in a dry run, or when there are problems) would have done."""

    dry_run: bool = False
    rows: int = 0
    created_trainees: int = 0
    created_cohorts: int = 0
    created_courses: int = 0
    created_enrolments: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems
