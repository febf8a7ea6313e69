// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Partnership} from "../../../contracts/Partnership.sol";
import {RevenueShare} from "../../../contracts/RevenueShare.sol";
import {IPartnership} from "../../../contracts/interfaces/IPartnership.sol";
import {Assertions} from "./Assertions.sol";
import {vm} from "./Vm.sol";

// A three-founder firm whose governance is the test contract itself, so a test makes the timelock's
// calls (admit, createGrant, revokeGrant, retire, remove, createDistribution) directly.
abstract contract FirmFixture is Assertions {
    // A realistic clock, so grants can start in the past.
    uint256 internal constant T0 = 1_750_000_000;
    uint48 internal constant MAX_LEAVE = 365 days;
    uint48 internal constant CLAIM_WINDOW = 30 days;

    address internal constant ALICE = address(uint160(uint256(keccak256("alice"))));
    address internal constant BOB = address(uint160(uint256(keccak256("bob"))));
    address internal constant CAROL = address(uint160(uint256(keccak256("carol"))));
    address internal constant DAVE = address(uint160(uint256(keccak256("dave"))));

    Partnership internal firm;
    RevenueShare internal revenue;

    function setUp() public virtual {
        vm.warp(T0);
        address[] memory founders = new address[](3);
        uint64[] memory units = new uint64[](3);
        founders[0] = ALICE;
        founders[1] = BOB;
        founders[2] = CAROL;
        units[0] = 100;
        units[1] = 200;
        units[2] = 300;
        firm = new Partnership(address(this), CLAIM_WINDOW, founders, units);
        revenue = RevenueShare(firm.revenueShare());
        vm.label(ALICE, "alice");
        vm.label(BOB, "bob");
        vm.label(CAROL, "carol");
        vm.label(DAVE, "dave");
        vm.label(address(firm), "Partnership");
        vm.label(address(revenue), "RevenueShare");
    }

    // Buy-backs and reclaimed distributions pay the governance, which is this contract.
    receive() external payable {}

    function _terms(uint64 units, uint256 start, uint256 cliff, uint256 duration)
        internal
        pure
        returns (IPartnership.GrantTerms memory)
    {
        return IPartnership.GrantTerms({units: units, start: uint48(start), cliff: uint32(cliff), duration: uint32(duration)});
    }
}
