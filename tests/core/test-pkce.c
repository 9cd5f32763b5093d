/* test-pkce.c — PKCE, randomness and constant-time comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ttd-core.h"

/* RFC 7636 Appendix B. */
#define RFC_VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_BASE64URL "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
#define RFC_HEX       "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"

static void
test_rfc7636_vectors (void)
{
  g_autofree char *b64 = ttd_pkce_challenge (RFC_VERIFIER, TTD_PKCE_BASE64URL);
  g_autofree char *hex = ttd_pkce_challenge (RFC_VERIFIER, TTD_PKCE_HEX);

  g_assert_cmpstr (b64, ==, RFC_BASE64URL);
  g_assert_cmpstr (hex, ==, RFC_HEX);
}

static void
test_verifier_shape (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;
      char *verifier = ttd_pkce_new_verifier (&error);
      g_autofree char *hex = NULL;

      g_assert_no_error (error);
      g_assert_true (ttd_pkce_verifier_is_valid (verifier));
      g_assert_cmpuint (strlen (verifier), >=, 43);
      g_assert_cmpuint (strlen (verifier), <=, 128);

      hex = ttd_pkce_challenge (verifier, TTD_PKCE_HEX);
      g_assert_cmpuint (strlen (hex), ==, 64);
      for (const char *c = hex; *c; c++)
        g_assert_true (g_ascii_isdigit (*c) || (*c >= 'a' && *c <= 'f'));

      /* Fresh every time. */
      g_assert_false (g_hash_table_contains (seen, verifier));
      g_hash_table_add (seen, verifier);
    }
}

static void
test_verifier_validation (void)
{
  g_assert_false (ttd_pkce_verifier_is_valid (NULL));
  g_assert_false (ttd_pkce_verifier_is_valid ("short"));
  g_assert_false (ttd_pkce_verifier_is_valid ("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjX+"));
  g_assert_true (ttd_pkce_verifier_is_valid (RFC_VERIFIER));
  g_assert_true (ttd_pkce_verifier_is_valid ("a.b~c_d-e.f~g_h-i.j~k_l-m.n~o_p-q.r~s_t-u.v~w"));
}

static void
test_base64url (void)
{
  const guint8 bytes[] = { 0xfb, 0xff, 0xfe, 0x00 };
  g_autofree char *encoded = ttd_base64url_encode (bytes, sizeof bytes);

  /* base64 would be "+//+AA==" */
  g_assert_cmpstr (encoded, ==, "-__-AA");
}

static void
test_random_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = ttd_random_token (32, &error);
  g_autofree char *b = ttd_random_token (32, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (a), ==, 43);
  g_assert_cmpstr (a, !=, b);
}

static void
test_secure_equal (void)
{
  g_assert_true (ttd_secure_equal ("abcdef", "abcdef"));
  g_assert_false (ttd_secure_equal ("abcdef", "abcdeg"));
  g_assert_false (ttd_secure_equal ("abcdef", "abcde"));
  g_assert_false (ttd_secure_equal ("abcde", "abcdef"));
  g_assert_false (ttd_secure_equal ("", ""));
  g_assert_false (ttd_secure_equal (NULL, "a"));
  g_assert_false (ttd_secure_equal ("a", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ttd/pkce/rfc7636-vectors", test_rfc7636_vectors);
  g_test_add_func ("/ttd/pkce/verifier-shape", test_verifier_shape);
  g_test_add_func ("/ttd/pkce/verifier-validation", test_verifier_validation);
  g_test_add_func ("/ttd/secure/base64url", test_base64url);
  g_test_add_func ("/ttd/secure/random-token", test_random_token);
  g_test_add_func ("/ttd/secure/equal", test_secure_equal);

  return g_test_run ();
}
