// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Directory} from "../../../contracts/Directory.sol";
import {Partnership} from "../../../contracts/Partnership.sol";
import {IDirectory} from "../../../contracts/interfaces/IDirectory.sol";
import {IPartnership} from "../../../contracts/interfaces/IPartnership.sol";
import {bound} from "../utils/Assertions.sol";
import {vm} from "../utils/Vm.sol";

// The actor of the directory's invariant campaigns (DirectoryInvariants.sol): a random walk over
// admissions, leaves, promotions, retirements and removals, and every directory action (publishing,
// clearing by the member, by governance and of a departed member, mentor offers, withdrawals,
// acceptances, assignments and ends), by members and strangers alike.
//
// It is the firm's governance (the Partnership and the Directory are deployed with this contract as
// their timelock), so it makes the timelock's calls directly. Every call is made in try/catch so that
// no step reverts (the runner would roll it back silently); the handler only records, in `linkedBy`,
// which mentor links were made by an accepted offer or an assignment, for the invariants to compare.
contract DirectoryHandler {
    /// Ten accounts: three founding partners, and seven others admitted (or not) along the walk.
    uint256 public constant ACCOUNTS = 10;

    Partnership public firm;
    Directory public directory;

    /// The mentor each mentee's link was started with by an accepted offer or an assignment (the
    /// model the third invariant compares `mentorOf` against); cleared when the link ends.
    mapping(address mentee => address mentor) public linkedBy;
    uint256 public calls;

    function accountAt(uint256 i) public pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("directory actor", i % ACCOUNTS)))));
    }

    function founders() external pure returns (address[] memory accounts, uint64[] memory units) {
        accounts = new address[](3);
        units = new uint64[](3);
        for (uint256 i = 0; i < 3; ++i) {
            accounts[i] = accountAt(i);
            units[i] = 100;
        }
    }

    function init(Partnership firm_, Directory directory_) external {
        firm = firm_;
        directory = directory_;
    }

    // ------------------------------------------------------------------------------------------
    // The firm around the directory
    // ------------------------------------------------------------------------------------------

    function warp(uint256 seed) external {
        vm.warp(block.timestamp + bound(seed, 1, 60 days));
    }

    function admit(uint256 accountSeed, uint256 roleSeed) external {
        IPartnership.Role role = IPartnership.Role(1 + (roleSeed % 3));
        try firm.admit(accountAt(accountSeed), role, "", IPartnership.PracticeRole.None, IPartnership.GrantTerms(0, 0, 0, 0)) {} catch {}
    }

    function setRole(uint256 accountSeed, uint256 roleSeed) external {
        try firm.setRole(accountAt(accountSeed), IPartnership.Role(1 + (roleSeed % 3))) {} catch {}
    }

    function declareLeave(uint256 accountSeed, uint256 daysSeed) external {
        vm.prank(accountAt(accountSeed));
        try firm.declareLeave(uint48(block.timestamp + bound(daysSeed, 1 days, 90 days)), address(0)) {} catch {}
    }

    function retire(uint256 accountSeed) external {
        try firm.retire(accountAt(accountSeed), address(0), address(0), 0) {} catch {}
    }

    function remove(uint256 accountSeed) external {
        try firm.remove(accountAt(accountSeed)) {} catch {}
    }

    // ------------------------------------------------------------------------------------------
    // The directory
    // ------------------------------------------------------------------------------------------

    function setProfile(uint256 accountSeed, uint256 modeSeed, bool coordinates) external {
        IDirectory.ProfileFields memory f;
        f.displayName = "Member";
        f.skills = new string[](1);
        f.skills[0] = "voip";
        f.workMode = IDirectory.WorkMode(1 + (modeSeed % 3));
        f.region = "CA-QC";
        f.hasCoordinates = coordinates;
        if (coordinates) {
            f.latitudeE2 = 4550;
            f.longitudeE2 = -7357;
        }
        f.radiusKm = f.workMode == IDirectory.WorkMode.Remote ? 0 : 50;
        calls++;
        vm.prank(accountAt(accountSeed));
        try directory.setProfile(f) {} catch {}
    }

    function clearProfile(uint256 accountSeed) external {
        calls++;
        vm.prank(accountAt(accountSeed));
        try directory.clearProfile() {} catch {}
    }

    function clearProfileByGovernance(uint256 accountSeed) external {
        calls++;
        try directory.clearProfileByGovernance(accountAt(accountSeed), "abuse") {} catch {}
    }

    function removeDepartedProfile(uint256 callerSeed, uint256 accountSeed) external {
        calls++;
        vm.prank(accountAt(callerSeed));
        try directory.removeDepartedProfile(accountAt(accountSeed)) {} catch {}
    }

    function offerMentorship(uint256 mentorSeed, uint256 menteeSeed) external {
        calls++;
        vm.prank(accountAt(mentorSeed));
        try directory.offerMentorship(accountAt(menteeSeed)) {} catch {}
    }

    function withdrawMentorshipOffer(uint256 mentorSeed, uint256 menteeSeed) external {
        calls++;
        vm.prank(accountAt(mentorSeed));
        try directory.withdrawMentorshipOffer(accountAt(menteeSeed)) {} catch {}
    }

    function acceptMentorship(uint256 menteeSeed, uint256 mentorSeed) external {
        calls++;
        address mentee = accountAt(menteeSeed);
        address mentor = accountAt(mentorSeed);
        vm.prank(mentee);
        try directory.acceptMentorship(mentor) {
            linkedBy[mentee] = mentor;
        } catch {}
    }

    function assignMentor(uint256 menteeSeed, uint256 mentorSeed) external {
        calls++;
        address mentee = accountAt(menteeSeed);
        address mentor = accountAt(mentorSeed);
        try directory.assignMentor(mentee, mentor) {
            linkedBy[mentee] = mentor;
        } catch {}
    }

    function endMentorship(uint256 callerSeed, uint256 menteeSeed, bool asGovernance) external {
        calls++;
        address mentee = accountAt(menteeSeed);
        if (!asGovernance) vm.prank(accountAt(callerSeed));
        try directory.endMentorship(mentee) {
            delete linkedBy[mentee];
        } catch {}
    }
}
