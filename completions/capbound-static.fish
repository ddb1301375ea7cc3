# fish completion for capbound-static: the same as capbound's.
# SPDX-License-Identifier: GPL-2.0-or-later
functions -q __capbound_register; or source (status dirname)/capbound.fish
__capbound_register capbound-static
