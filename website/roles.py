"""The staff and partner roles of DESIGN.md, as Django groups.

Wagtail's own "Editors" group is the editor role. The tracker permissions of each role
are added by the skills and placements apps."""

COORDINATORS = "Training coordinators"
STATE_OFFICERS = "State officers"
EDITORS = "Editors"
EMPLOYERS = "Employers"

ADMIN_ROLES = (COORDINATORS, STATE_OFFICERS, EDITORS)
ALL_ROLES = (*ADMIN_ROLES, EMPLOYERS)
