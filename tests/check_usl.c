/*
 * check_usl.c - the Universal Scalability Law fit (sim/usl.h).
 *
 * Contracts tested, one TCase each:
 *   recover   throughput generated from known (lambda, sigma, kappa)
 *             gives them back: exactly, and within a few per cent under
 *             +-2 % deterministic noise; linear scaling is (0, 0), a
 *             fully serialised scheme sigma = 1; the peak is at
 *             sqrt((1 - sigma) / kappa);
 *   clamp     superlinear data (a figure would be negative) gives a
 *             non-negative pair;
 *   refuse    no 1-CPU point, nothing but it, or a throughput of zero:
 *             no fit.
 */
#include <check.h>
#include <math.h>
#include "usl.h"

Suite *usl_suite(void);

static const int sweep[] = { 1, 2, 4, 8, 16, 32, 64 };
#define NSWEEP ((int)(sizeof(sweep) / sizeof(sweep[0])))

/* X over the sweep under (L, S, K), each point scaled by 1 + NOISE *
 * (a fixed +-1 pattern), so the test needs no PRNG. */
static void synth(double l, double s, double k, double noise, double *x)
{
	SimUsl u = { .lambda = l, .sigma = s, .kappa = k };

	for (int i = 0; i < NSWEEP; i++)
		x[i] = sim_usl_eval(&u, sweep[i]) *
		       (1 + (i == 0 ? 0 : noise * ((i % 2) ? 1 : -1)));
}

START_TEST(test_recover_exact)
{
	static const double cases[][2] = {
		{ 0, 0 }, { 0.05, 0 }, { 0, 0.0004 }, { 0.02, 0.0005 },
		{ 0.3, 0.01 }, { 1, 0 },
	};
	double x[NSWEEP];
	SimUsl f;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		synth(2.5e6, cases[c][0], cases[c][1], 0, x);
		ck_assert(sim_usl_fit(sweep, x, NSWEEP, &f));
		ck_assert_double_eq_tol(f.lambda, 2.5e6, 1e-6);
		ck_assert_double_eq_tol(f.sigma, cases[c][0], 1e-9);
		ck_assert_double_eq_tol(f.kappa, cases[c][1], 1e-12);
		ck_assert_double_eq_tol(f.r2, 1, 1e-9);
		if (cases[c][1] > 0)
			ck_assert_double_eq_tol(f.peak, sqrt((1 - cases[c][0]) /
					cases[c][1]), 1e-6);
		else
			ck_assert_double_eq(f.peak, 0);
	}
}
END_TEST

START_TEST(test_recover_noisy)
{
	double x[NSWEEP];
	SimUsl f;

	synth(1e6, 0.04, 0.0008, 0.02, x);
	ck_assert(sim_usl_fit(sweep, x, NSWEEP, &f));
	ck_assert_double_eq_tol(f.sigma, 0.04, 0.04 * 0.25);
	ck_assert_double_eq_tol(f.kappa, 0.0008, 0.0008 * 0.1);
	ck_assert(f.r2 > 0.98);
}
END_TEST

START_TEST(test_clamp)
{
	/* superlinear: X(N) = N^1.1 */
	double x[NSWEEP];
	SimUsl f;

	for (int i = 0; i < NSWEEP; i++)
		x[i] = pow(sweep[i], 1.1);
	ck_assert(sim_usl_fit(sweep, x, NSWEEP, &f));
	ck_assert(f.sigma >= 0);
	ck_assert(f.kappa >= 0);
	/* contention alone, no coherency: kappa must not go negative to
	 * buy a better sigma */
	synth(1, 0.1, 0, 0, x);
	for (int i = 1; i < NSWEEP; i++)
		x[i] *= 1 + 0.001 * sweep[i];
	ck_assert(sim_usl_fit(sweep, x, NSWEEP, &f));
	ck_assert(f.kappa >= 0);
	ck_assert(f.sigma > 0.05 && f.sigma < 0.15);
}
END_TEST

START_TEST(test_refuse)
{
	const int no_one[] = { 2, 4 }, one[] = { 1 }, two[] = { 1, 2 };
	const double x2[] = { 1, 2 }, zero[] = { 1, 0 };
	SimUsl f = { .sigma = 42 };

	ck_assert(!sim_usl_fit(no_one, x2, 2, &f));
	ck_assert(!sim_usl_fit(one, x2, 1, &f));
	ck_assert(!sim_usl_fit(two, zero, 2, &f));
	ck_assert_double_eq(f.sigma, 42);
	ck_assert(sim_usl_fit(two, x2, 2, &f));
	ck_assert_double_eq_tol(f.sigma, 0, 1e-12);
}
END_TEST

Suite *usl_suite(void)
{
	Suite *s = suite_create("usl");
	TCase *tc = tcase_create("recover");

	tcase_add_test(tc, test_recover_exact);
	tcase_add_test(tc, test_recover_noisy);
	suite_add_tcase(s, tc);
	tc = tcase_create("clamp");
	tcase_add_test(tc, test_clamp);
	suite_add_tcase(s, tc);
	tc = tcase_create("refuse");
	tcase_add_test(tc, test_refuse);
	suite_add_tcase(s, tc);
	return s;
}
