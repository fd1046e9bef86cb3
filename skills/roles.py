"""The staff and partner roles of DESIGN.md, as Django groups (made by a skills migration).

Wagtail's own "Editors" group is the editor role: CMS pages, none of the tracker."""

COORDINATORS = "Training coordinators"
STATE_OFFICERS = "State officers"
EDITORS = "Editors"
EMPLOYERS = "Employers"

STAFF_ROLES = (COORDINATORS, STATE_OFFICERS, EDITORS)
