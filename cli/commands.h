/*
 * commands.h — the subcommands of the mcusim program.
 *
 * Each subcommand is one function with main()'s signature, in its own
 * cmd_<name>.c file; argv[0] is the subcommand's name.  Exit codes follow
 * one convention across the program (see exitcodes.h).
 */
#ifndef MCUSIM_CLI_COMMANDS_H
#define MCUSIM_CLI_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_boards(int argc, char **argv);
int cmd_model(int argc, char **argv);      /* model build | model info */
int cmd_model_build(int argc, char **argv);
int cmd_model_info(int argc, char **argv);
int cmd_report(int argc, char **argv);     /* report, compare, gate, runs: read the database */
int cmd_compare(int argc, char **argv);
int cmd_gate(int argc, char **argv);
int cmd_runs(int argc, char **argv);       /* runs | runs rm */

int cmd_sweep(int argc, char **argv);      /* sweep.md: manifests, resume, --emit-jobs */
int cmd_fit(int argc, char **argv);        /* the search over model variants */
int cmd_db(int argc, char **argv);         /* db merge | db check */
int cmd_ops(int argc, char **argv);        /* the operator table of the runtime */

/* "mcusim" followed by the arguments, for the run record (malloc'd). */
char *join_command_line(int argc, char **argv);

#endif
