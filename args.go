package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// Flags anywhere on the command line.
//
// urfave/cli v2 parses a command's flags with the standard flag package,
// which stops at the first argument that is not a flag: in
// `newsx extract page.html --format csv` the flag was read as a second
// input file. v2 has no option to keep going, and moving to v3 would touch
// every flag accessor in both commands for this one behaviour, so newsx
// puts a command's flags before its arguments itself (orderArgs) and
// lets urfave/cli parse the result as before.

// orderArgs rewrites a whole command line (args[0] is the program) so
// that the flags of the command it names come before that command's
// arguments, followed by "--" and the arguments. Everything after a lone
// "--" is an argument, and so is "-" (stdin). A flag that takes a value
// takes the next argument when it is not written as --flag=value, even
// one that starts with "-" (`-j -3`, `--seeds -`). An unknown flag is a
// usage error that names it as typed.
func orderArgs(args []string, cmds []*cli.Command) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	// Global flags (--version, --help) come before the command name.
	i := 1
	for i < len(args) && strings.HasPrefix(args[i], "-") && args[i] != "-" && args[i] != "--" {
		i++
	}
	if i >= len(args) {
		return args, nil
	}
	var cmd *cli.Command
	for _, c := range cmds {
		if c.HasName(args[i]) {
			cmd = c
		}
	}
	if cmd == nil {
		return args, nil
	}
	rest, err := orderCommandArgs(cmd, args[i+1:])
	if err != nil {
		return nil, err
	}
	return append(append([]string(nil), args[:i+1]...), rest...), nil
}

// orderCommandArgs orders one command's arguments (see orderArgs).
func orderCommandArgs(cmd *cli.Command, args []string) ([]string, error) {
	takesValue := map[string]bool{"help": false, "h": false}
	for _, f := range cmd.Flags {
		v := true
		if _, ok := f.(*cli.BoolFlag); ok {
			v = false
		}
		for _, n := range f.Names() {
			takesValue[n] = v
		}
	}
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
			continue
		case a == "-" || !strings.HasPrefix(a, "-"):
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		v, ok := takesValue[name]
		if !ok {
			return nil, usageError{fmt.Errorf("%s: unknown flag %s (see newsx help %s)", cmd.Name, strings.SplitN(a, "=", 2)[0], cmd.Name)}
		}
		if name == "help" || name == "h" {
			// urfave/cli would read the arguments as help topics.
			return []string{a}, nil
		}
		flags = append(flags, a)
		if v && !hasValue {
			if i+1 == len(args) {
				return nil, usageError{fmt.Errorf("%s: flag %s needs a value", cmd.Name, a)}
			}
			i++
			flags = append(flags, args[i])
		}
	}
	return append(append(flags, "--"), pos...), nil
}

// flagInMessage finds a long flag name in the flag package's messages
// ("invalid value "x" for flag -timeout", "flag needs an argument: -out").
var flagInMessage = regexp.MustCompile(`(^|[ :])-([a-z][a-z0-9]*(-[a-z0-9]+)+|[a-z][a-z0-9]+)\b`)

// cliUsageError turns a flag-parsing error into a usage error that writes
// long flags as users type them (--timeout, not -timeout).
func cliUsageError(err error) error {
	return usageError{fmt.Errorf("%s", flagInMessage.ReplaceAllString(err.Error(), "$1--$2"))}
}
