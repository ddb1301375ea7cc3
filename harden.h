/*
 * harden.h - included first into every installed object (-include, see
 * Makefile): _FORTIFY_SOURCE=2 only where nobody has chosen a level yet.
 * A distribution's CPPFLAGS (dpkg-buildflags: =2, or =3 with
 * hardening=+all on newer releases) or a compiler that defines it
 * itself (Ubuntu's gcc) wins, without a "redefined" warning that
 * WERROR=-Werror would turn into a failure.  Without optimisation the
 * checks do not exist, and glibc warns when asked for them.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#if !defined(_FORTIFY_SOURCE) && defined(__OPTIMIZE__)
#define _FORTIFY_SOURCE 2
#endif
