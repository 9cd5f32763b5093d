/* fuzz-common.h — shared helpers for the libFuzzer targets in tests/fuzz
 *
 * Each fuzz-<name>.c defines LLVMFuzzerTestOneInput(). Built with
 * -Dfuzzing=true (clang) it links libFuzzer; otherwise fuzz-main.c supplies
 * main() and replays the seed corpus once, as the `fuzz-corpus` test suite.
 *
 * FUZZ_CHECK() aborts with the failed invariant, so the fuzzers find logic
 * bugs (broken invariants), not only crashes and sanitizer reports.
 *
 * Copyright 2026 The TikTok Drafts authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

/* Any g_critical()/g_warning() (a g_return_if_fail() that fired, a GLib
 * misuse) is a finding. GLib's own fatal path raises SIGTRAP, which libFuzzer
 * does not catch (no reproducer saved): abort() from the writer instead. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput out = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return out;
}

static inline void
fuzz_init_once (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* A NUL-terminated copy of the input (embedded NULs end the string early,
 * as they would for any C string the app receives). */
static inline char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* Inputs for the HTTP response parsers: an optional "NNN\n" prefix is the
 * HTTP status (default 200), the rest is the body. Seeds stay readable. */
static inline GBytes *
fuzz_split_http (const uint8_t *data,
                 size_t         size,
                 guint         *status)
{
  *status = 200;
  if (size >= 4 && g_ascii_isdigit (data[0]) && g_ascii_isdigit (data[1]) &&
      g_ascii_isdigit (data[2]) && data[3] == '\n')
    {
      *status = (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
      data += 4;
      size -= 4;
    }

  return g_bytes_new (data, size);
}
