// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Minimal assertions for Solidity tests. A failing assertion reverts with a message that carries the
// values compared, so a failing fuzz or invariant run explains itself without forge-std.
abstract contract Assertions {
    function fail(string memory message) internal pure {
        revert(message);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert(message);
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) revert(message);
    }

    function assertEq(uint256 actual, uint256 expected, string memory message) internal pure {
        if (actual != expected) revert(_describe(message, "==", actual, expected));
    }

    function assertEq(address actual, address expected, string memory message) internal pure {
        if (actual != expected) {
            revert(_describe(message, "==", uint256(uint160(actual)), uint256(uint160(expected))));
        }
    }

    function assertEq(bool actual, bool expected, string memory message) internal pure {
        if (actual != expected) revert(_describe(message, "==", actual ? 1 : 0, expected ? 1 : 0));
    }

    function assertLe(uint256 actual, uint256 limit, string memory message) internal pure {
        if (actual > limit) revert(_describe(message, "<=", actual, limit));
    }

    function assertGe(uint256 actual, uint256 limit, string memory message) internal pure {
        if (actual < limit) revert(_describe(message, ">=", actual, limit));
    }

    function assertLt(uint256 actual, uint256 limit, string memory message) internal pure {
        if (actual >= limit) revert(_describe(message, "<", actual, limit));
    }

    function _describe(
        string memory message,
        string memory relation,
        uint256 actual,
        uint256 expected
    ) private pure returns (string memory) {
        return string.concat(message, ": expected ", toString(actual), " ", relation, " ", toString(expected));
    }
}

// Shared by the tests and the handler (which must not revert on a violation, see FirmHandler).
function toString(uint256 value) pure returns (string memory) {
    if (value == 0) return "0";
    uint256 digits;
    for (uint256 v = value; v != 0; v /= 10) ++digits;
    bytes memory out = new bytes(digits);
    for (uint256 v = value; v != 0; v /= 10) out[--digits] = bytes1(uint8(48 + (v % 10)));
    return string(out);
}

// Maps any fuzzed value into [min, max] without rejecting it: `vm.assume` would discard the run, and
// in an invariant handler a discarded call is a wasted step.
function bound(uint256 value, uint256 min, uint256 max) pure returns (uint256) {
    if (min >= max) return min;
    uint256 span = max - min;
    if (span == type(uint256).max) return value;
    return min + (value % (span + 1));
}
