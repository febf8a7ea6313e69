// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Directory} from "../../contracts/Directory.sol";
import {Partnership} from "../../contracts/Partnership.sol";
import {IMemberSource} from "../../contracts/interfaces/IMemberSource.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {DirectoryHandler} from "./handlers/DirectoryHandler.sol";
import {Assertions} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// What the runner reads from `targetSelectors()`: the same ABI shape as forge-std's FuzzSelector.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

// Invariant campaigns of the talent directory (issue 12) over DirectoryHandler's random walk:
// 1. only a member who is active or on leave holds a live profile;
// 2. a departed member's (Retired or Removed) profile is never live, whether or not anyone cleared it;
// 3. a mentor link exists only as started by an accepted offer or an assignment (and only until ended).
// Ten accounts make each step's checks a fixed ten reads. 32 runs of 100 calls (inline configuration,
// as in FirmInvariants.sol) reach departures with live profiles and links, and take well under a
// minute of CPU on a 2-core machine.
/// forge-config: default.invariant.runs = 32
/// forge-config: default.invariant.depth = 100
contract DirectoryInvariants is Assertions {
    DirectoryHandler internal handler;
    Partnership internal firm;
    Directory internal directory;

    function setUp() public {
        vm.warp(1_750_000_000);
        handler = new DirectoryHandler();
        (address[] memory founders, uint64[] memory units) = handler.founders();
        firm = new Partnership(address(handler), 30 days, founders, units);
        directory = new Directory(IMemberSource(address(firm)), address(handler));
        handler.init(firm, directory);
        vm.label(address(handler), "DirectoryHandler");
        vm.label(address(firm), "Partnership");
        vm.label(address(directory), "Directory");
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = DirectoryHandler.warp.selector;
        selectors[1] = DirectoryHandler.admit.selector;
        selectors[2] = DirectoryHandler.setRole.selector;
        selectors[3] = DirectoryHandler.declareLeave.selector;
        selectors[4] = DirectoryHandler.retire.selector;
        selectors[5] = DirectoryHandler.remove.selector;
        selectors[6] = DirectoryHandler.setProfile.selector;
        selectors[7] = DirectoryHandler.clearProfile.selector;
        selectors[8] = DirectoryHandler.clearProfileByGovernance.selector;
        selectors[9] = DirectoryHandler.removeDepartedProfile.selector;
        selectors[10] = DirectoryHandler.offerMentorship.selector;
        selectors[11] = DirectoryHandler.withdrawMentorshipOffer.selector;
        selectors[12] = DirectoryHandler.acceptMentorship.selector;
        selectors[13] = DirectoryHandler.assignMentor.selector;
        selectors[14] = DirectoryHandler.endMentorship.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // 1. profileOf(x).live => x is Active or OnLeave.
    function invariant_onlyAMemberHoldsALiveProfile() public view {
        for (uint256 i = 0; i < handler.ACCOUNTS(); ++i) {
            address account = handler.accountAt(i);
            (bool live, , , , , , , bytes32 hash) = directory.profileOf(account);
            if (!live) continue;
            IPartnership.MemberStatus status = _status(account);
            assertTrue(
                status == IPartnership.MemberStatus.Active || status == IPartnership.MemberStatus.OnLeave,
                "a live profile belongs to an active member or one on leave"
            );
            assertTrue(hash != bytes32(0), "a live profile has its content hash");
        }
    }

    // 2. Retired or Removed => not live, cleared or not.
    function invariant_aDepartedMembersProfileIsNeverLive() public view {
        for (uint256 i = 0; i < handler.ACCOUNTS(); ++i) {
            address account = handler.accountAt(i);
            IPartnership.MemberStatus status = _status(account);
            if (status != IPartnership.MemberStatus.Retired && status != IPartnership.MemberStatus.Removed) continue;
            (bool live, , , , , , , ) = directory.profileOf(account);
            assertFalse(live, "a departed member's profile is hidden");
        }
    }

    // 3. mentorOf(x) != 0 => the link was started by an accepted offer or an assignment, and not ended.
    function invariant_aMentorIsOnlyByConsentOrAssignment() public view {
        for (uint256 i = 0; i < handler.ACCOUNTS(); ++i) {
            address mentee = handler.accountAt(i);
            assertEq(directory.mentorOf(mentee), handler.linkedBy(mentee), "mentorOf = the accepted or assigned mentor");
        }
    }

    function _status(address account) private view returns (IPartnership.MemberStatus status) {
        (, status, , , , ) = firm.memberOf(account);
    }
}
