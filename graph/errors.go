package graph

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for clients; it is what GraphQL errors carry in extensions.code.
type Code string

// The error codes. Anything that is not a *Error is INTERNAL.
const (
	BadUserInput    Code = "BAD_USER_INPUT"  // the request is invalid; nothing was written
	Unauthenticated Code = "UNAUTHENTICATED" // no credentials, or bad, revoked or expired ones
	NotFound        Code = "NOT_FOUND"       // a referenced entity does not exist
	Conflict        Code = "CONFLICT"        // the request contradicts the current state
	Forbidden       Code = "FORBIDDEN"       // the caller may not do this
	Unavailable     Code = "UNAVAILABLE"     // a dependency (Neo4j) cannot be reached; retry later
	Internal        Code = "INTERNAL"        // a bug or an unexpected failure; details are logged only
)

// Error is an error meant for the client: its Message is shown as is, so it must never contain
// internal details. Err, if set, is the cause, logged but not shown.
type Error struct {
	Code    Code
	Message string
	// Field names the offending input field, if any (for example "first" or "input.name").
	Field string
	Err   error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a client-facing error with the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns a BAD_USER_INPUT error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: that of the first *Error in its chain, or INTERNAL.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the client-facing message of err; for INTERNAL errors a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "internal error"
}

// BatchErrors are the errors of a batch's operations, in order, each naming its operation's
// field (operations[i]…): the batch wrote nothing. errors.As finds the first.
type BatchErrors []*Error

// Error implements error.
func (e BatchErrors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", e[0].Error(), len(e)-1)
}

// Unwrap returns the errors.
func (e BatchErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, x := range e {
		out[i] = x
	}
	return out
}

// Errs lists the errors of err: those of BatchErrors, or err itself.
func Errs(err error) []error {
	var be BatchErrors
	if errors.As(err, &be) {
		return be.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// BatchErrorsOf collects the non-nil errors of a batch (those that are not *Error become
// INTERNAL ones); nil when there are none.
func BatchErrorsOf(errs []error) error {
	var out BatchErrors
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Code: Internal, Message: "internal error", Err: err}
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// OperationField splits the field of a batch's error, operations[i]…, into the operation's
// index and the rest of the field ("properties.kind", or "" for the operation itself).
func OperationField(field string) (index int, rest string, ok bool) {
	var n int
	if _, err := fmt.Sscanf(field, "operations[%d]", &n); err != nil {
		return 0, field, false
	}
	i := len(fmt.Sprintf("operations[%d]", n))
	if i > len(field) {
		return 0, field, false
	}
	return n, strings.TrimPrefix(field[i:], "."), true
}
