/*
 * fuzz_main.h - without libFuzzer (-DFUZZ_MAIN): run each file named on
 * the command line once through LLVMFuzzerTestOneInput, to replay a
 * corpus or a crash under gcc's sanitizers or valgrind.
 */
#ifndef TESTS_FUZZ_MAIN_H
#define TESTS_FUZZ_MAIN_H
#ifdef FUZZ_MAIN
#include <stdio.h>
#include <glib.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *data;
		gsize len;

		if (!g_file_get_contents(argv[i], &data, &len, NULL)) {
			fprintf(stderr, "%s: cannot read\n", argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		g_free(data);
	}
	printf("%d inputs ok\n", argc - 1);
	return 0;
}
#endif
#endif
