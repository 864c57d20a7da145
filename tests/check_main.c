/*
 * check_main.c - one Check runner for every module's suite, so CI reads
 * one closing line.  CK_RUN_SUITE / CK_RUN_CASE select; CK_FORK=no for gdb
 * and valgrind.
 */
#include <stdlib.h>
#include <check.h>

Suite *parse_suite(void);
Suite *world_suite(void);
Suite *lock_suite(void);
Suite *prog_suite(void);
Suite *oracle_suite(void);
Suite *explore_suite(void);
Suite *por_suite(void);
Suite *trace_suite(void);
Suite *lockflow_suite(void);
Suite *usl_suite(void);
Suite *des_suite(void);

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_add_suite(sr, world_suite());
	srunner_add_suite(sr, lock_suite());
	srunner_add_suite(sr, prog_suite());
	srunner_add_suite(sr, oracle_suite());
	srunner_add_suite(sr, explore_suite());
	srunner_add_suite(sr, por_suite());
	srunner_add_suite(sr, trace_suite());
	srunner_add_suite(sr, lockflow_suite());
	srunner_add_suite(sr, usl_suite());
	srunner_add_suite(sr, des_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
