// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Directory} from "../../contracts/Directory.sol";
import {IDirectory} from "../../contracts/interfaces/IDirectory.sol";
import {IMemberSource} from "../../contracts/interfaces/IMemberSource.sol";
import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {FirmFixture} from "./utils/Firm.sol";
import {bound} from "./utils/Assertions.sol";
import {vm} from "./utils/Vm.sol";

// The talent directory (issue 12), one fuzz test per function: setProfile accepts exactly the records
// a plain byte-by-byte model of the documented bounds accepts, and stores the hash of abi.encode of
// them; clearing, governance clearing and removal of a departed member's profile are refused to
// everyone else; mentor offers, acceptance, assignment and ending follow the roles. The firm's
// governance is this contract (FirmFixture), so it plays the timelock; ALICE, BOB and CAROL are
// partners, DAVE an associate admitted here, and ERIN an affiliate.
contract DirectoryFuzzTest is FirmFixture {
    address internal constant ERIN = address(uint160(uint256(keccak256("erin"))));
    address internal constant STRANGER = address(0xBEEF);

    Directory internal directory;

    function setUp() public override {
        super.setUp();
        directory = new Directory(IMemberSource(address(firm)), address(this));
        firm.admit(DAVE, IPartnership.Role.Associate, "", IPartnership.PracticeRole.None, _terms(0, 0, 0, 0));
        firm.admit(ERIN, IPartnership.Role.Affiliate, "", IPartnership.PracticeRole.None, _terms(0, 0, 0, 0));
        vm.label(address(directory), "Directory");
    }

    // ------------------------------------------------------------------------------------------
    // setProfile
    // ------------------------------------------------------------------------------------------

    /// Random text in every field: accepted exactly when the model finds no bad field, then stored.
    function testSetProfileAcceptsExactlyTheDocumentedRecords(
        bytes memory name,
        bytes memory skill,
        uint8 skillCount,
        uint8 mode,
        bytes memory region,
        bytes memory city,
        bool hasCoordinates,
        int16 latitude,
        int16 longitude,
        uint16 radius,
        bytes memory url
    ) public {
        IDirectory.ProfileFields memory f = _fields(name, skill, skillCount, mode, region, city, url);
        f.hasCoordinates = hasCoordinates;
        f.latitudeE2 = latitude;
        f.longitudeE2 = longitude;
        f.radiusKm = radius;
        _expectSetProfile(ALICE, f);
    }

    /// The same with fields near their bounds, which random bytes rarely reach. `lengths` packs the
    /// name, skill, skill-count, region and URL seeds (one parameter, for the legacy pipeline's stack).
    function testSetProfileAtItsBounds(uint40 lengths, uint8 mode, int16 latitude, int16 longitude, uint16 radius) public {
        uint8 regionTail = uint8(lengths >> 24) % 5;
        IDirectory.ProfileFields memory f = _fields(
            _repeat("n", bound(uint8(lengths), 0, 66)),
            _repeat("s", bound(uint8(lengths >> 8), 0, 34)),
            uint8(lengths >> 16),
            mode,
            bytes(regionTail == 4 ? "" : string.concat("CA-", string(_repeat("Q", regionTail)))),
            _repeat("c", bound(uint8(lengths), 0, 66)),
            ""
        );
        f.contactUrl = string.concat("https://", string(_repeat("u", bound(uint8(lengths >> 32), 0, 203))));
        f.hasCoordinates = true;
        f.latitudeE2 = _boundInt16(latitude, 9002);
        f.longitudeE2 = _boundInt16(longitude, 18002);
        f.radiusKm = uint16(bound(radius, 0, 1002));
        _expectSetProfile(ALICE, f);
    }

    /// Only a member who is active or on leave publishes: BOB as he is, removed, retired or on leave,
    /// or any other account.
    function testSetProfileNeedsAPresentMember(address caller, uint8 situation) public {
        uint8 d = situation % 4;
        if (d == 1) firm.remove(BOB);
        if (d == 2) firm.retire(BOB, address(0), address(0), 0);
        if (d == 3) {
            vm.prank(BOB);
            firm.declareLeave(uint48(block.timestamp + 30 days), address(0));
        }
        if (d != 0) caller = BOB;
        (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(caller);
        bool present = status == IPartnership.MemberStatus.Active || status == IPartnership.MemberStatus.OnLeave;
        assertEq(present, d == 0 ? (caller == ALICE || caller == BOB || caller == CAROL || caller == DAVE || caller == ERIN) : d == 3, "the model");
        if (!present) vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryNotMember.selector, caller));
        vm.prank(caller);
        directory.setProfile(_valid());
        (bool live, , , , , , , ) = directory.profileOf(caller);
        assertEq(live, present, "live exactly when published by a present member");
    }

    // ------------------------------------------------------------------------------------------
    // clearProfile, clearProfileByGovernance, removeDepartedProfile, profileOf
    // ------------------------------------------------------------------------------------------

    function testClearProfileClearsOnlyTheCallersOwn(address caller) public {
        _publish(ALICE);
        if (caller != ALICE) vm.expectRevert(abi.encodeWithSelector(IDirectory.ProfileNotFound.selector, caller));
        vm.prank(caller);
        directory.clearProfile();
        (bool live, , , , , , , bytes32 hash) = directory.profileOf(ALICE);
        assertEq(live, caller != ALICE, "only ALICE clears ALICE's profile");
        assertEq(hash == bytes32(0), caller == ALICE, "and the hash goes with it");
    }

    function testClearProfileByGovernanceNeedsTheTimelockAndAReason(address caller, uint8 reasonLength) public {
        _publish(ALICE);
        uint256 n = bound(reasonLength, 0, 210);
        string memory reason = string(_repeat("r", n));
        if (caller != address(this)) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryUnauthorized.selector, caller));
        } else if (n == 0 || n > 200) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.ProfileFieldInvalid.selector, "reason"));
        }
        vm.prank(caller);
        directory.clearProfileByGovernance(ALICE, reason);
        (bool live, , , , , , , ) = directory.profileOf(ALICE);
        assertEq(live, caller != address(this) || n == 0 || n > 200, "cleared only by the timelock with a reason");
    }

    function testRemoveDepartedProfileOnlyOnceTheMemberLeft(address caller, uint8 departure) public {
        _publish(BOB);
        if (departure % 3 == 1) firm.remove(BOB);
        if (departure % 3 == 2) firm.retire(BOB, address(0), address(0), 0);
        bool departed = departure % 3 != 0;
        (bool live, , , , , , , ) = directory.profileOf(BOB);
        assertEq(live, !departed, "a departed member's profile is never live");
        if (!departed) vm.expectRevert(abi.encodeWithSelector(IDirectory.ProfileOwnerStillMember.selector, BOB));
        vm.prank(caller);
        directory.removeDepartedProfile(BOB);
        if (departed) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.ProfileNotFound.selector, BOB));
            directory.removeDepartedProfile(BOB);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Mentors
    // ------------------------------------------------------------------------------------------

    function testOfferMentorshipNeedsAPartnerAndAnAssociate(uint8 mentorSeed, uint8 menteeSeed) public {
        address mentor = _account(mentorSeed);
        address mentee = _account(menteeSeed);
        bool valid = mentor != mentee && _isPartner(mentor) && mentee == DAVE;
        if (!valid) vm.expectRevert(abi.encodeWithSelector(IDirectory.MentorshipInvalid.selector, mentor, mentee));
        vm.prank(mentor);
        directory.offerMentorship(mentee);
        assertEq(directory.mentorshipOffered(mentor, mentee), valid, "an offer stands exactly when valid");
    }

    function testWithdrawMentorshipOfferOnlyTheOffersOwn(address caller) public {
        vm.prank(ALICE);
        directory.offerMentorship(DAVE);
        if (caller != ALICE) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.MentorshipOfferNotFound.selector, caller, DAVE));
        }
        vm.prank(caller);
        directory.withdrawMentorshipOffer(DAVE);
        assertEq(directory.mentorshipOffered(ALICE, DAVE), caller != ALICE, "withdrawn only by its mentor");
    }

    function testAcceptMentorshipOnlyAStandingOfferByItsMentee(address caller, uint8 mentorSeed, bool withdraw) public {
        address mentor = _account(mentorSeed);
        if (_isPartner(mentor)) {
            vm.prank(mentor);
            directory.offerMentorship(DAVE);
            if (withdraw) {
                vm.prank(mentor);
                directory.withdrawMentorshipOffer(DAVE);
            }
        }
        bool stands = _isPartner(mentor) && !withdraw && caller == DAVE;
        if (!stands) vm.expectRevert(abi.encodeWithSelector(IDirectory.MentorshipOfferNotFound.selector, mentor, caller));
        vm.prank(caller);
        directory.acceptMentorship(mentor);
        assertEq(directory.mentorOf(DAVE), stands ? mentor : address(0), "linked exactly when the mentee accepted a standing offer");
    }

    function testAssignMentorOnlyByTheTimelock(address caller, uint8 mentorSeed) public {
        address mentor = _account(mentorSeed);
        if (caller != address(this)) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.DirectoryUnauthorized.selector, caller));
        } else if (!_isPartner(mentor)) {
            vm.expectRevert(abi.encodeWithSelector(IDirectory.MentorshipInvalid.selector, mentor, DAVE));
        }
        vm.prank(caller);
        directory.assignMentor(DAVE, mentor);
        bool assigned = caller == address(this) && _isPartner(mentor);
        assertEq(directory.mentorOf(DAVE), assigned ? mentor : address(0), "assigned only by the timelock, to a partner");
    }

    function testEndMentorshipByTheLinkOrOnceOneLeft(address caller, uint8 departure) public {
        directory.assignMentor(DAVE, ALICE);
        if (departure % 3 == 1) firm.remove(ALICE);
        if (departure % 3 == 2) firm.remove(DAVE);
        bool allowed = caller == ALICE || caller == DAVE || caller == address(this) || departure % 3 != 0;
        if (!allowed) vm.expectRevert(abi.encodeWithSelector(IDirectory.MentorshipNotFound.selector, DAVE, caller));
        vm.prank(caller);
        directory.endMentorship(DAVE);
        assertEq(directory.mentorOf(DAVE), allowed ? address(0) : ALICE, "ended only by whom the rule allows");
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    function _expectSetProfile(address member, IDirectory.ProfileFields memory f) private {
        string memory bad = _firstBadField(f);
        bool ok = bytes(bad).length == 0;
        if (!ok) vm.expectRevert(abi.encodeWithSelector(IDirectory.ProfileFieldInvalid.selector, bad));
        vm.prank(member);
        directory.setProfile(f);
        (bool live, , , , , , , bytes32 hash) = directory.profileOf(member);
        assertEq(live, ok, "stored exactly when every field is within bounds");
        if (ok) assertTrue(hash == keccak256(abi.encode(f)), "contentHash is keccak256(abi.encode(fields))");
    }

    /// The bounds of IDirectory.ProfileFields, written as plainly as possible, in the contract's order.
    function _firstBadField(IDirectory.ProfileFields memory f) private pure returns (string memory) {
        if (!_isText(bytes(f.displayName), 1)) return "displayName";
        if (f.skills.length > 8) return "skills";
        for (uint256 i = 0; i < f.skills.length; ++i) if (!_isSkill(bytes(f.skills[i]))) return "skill";
        if (f.workMode == IDirectory.WorkMode.None) return "workMode";
        if (!_isRegion(bytes(f.region))) return "region";
        if (!_isText(bytes(f.city), 0)) return "city";
        if (f.hasCoordinates ? f.latitudeE2 < -9000 || f.latitudeE2 > 9000 : f.latitudeE2 != 0) return "latitude";
        if (f.hasCoordinates ? f.longitudeE2 < -18000 || f.longitudeE2 > 18000 : f.longitudeE2 != 0) return "longitude";
        if (f.radiusKm > 1000 || (f.workMode == IDirectory.WorkMode.Remote && f.radiusKm != 0)) return "radiusKm";
        if (!_isUrl(bytes(f.contactUrl))) return "contactUrl";
        return "";
    }

    function _isText(bytes memory b, uint256 min) private pure returns (bool) {
        if (b.length < min || b.length > 64) return false;
        for (uint256 i = 0; i < b.length; ++i) if (uint8(b[i]) < 32 || uint8(b[i]) == 127) return false;
        return true;
    }

    function _isSkill(bytes memory b) private pure returns (bool) {
        if (b.length == 0 || b.length > 32) return false;
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 c = b[i];
            if (!((c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "+" || c == "." || c == "#")) return false;
        }
        return true;
    }

    function _isRegion(bytes memory b) private pure returns (bool) {
        if (b.length == 0) return true;
        if (b.length < 4 || b.length > 6 || b[2] != "-") return false;
        for (uint256 i = 0; i < b.length; ++i) {
            if (i == 2) continue;
            bool upper = b[i] >= "A" && b[i] <= "Z";
            bool digit = b[i] >= "0" && b[i] <= "9";
            if (!(upper || (i > 2 && digit))) return false;
        }
        return true;
    }

    function _isUrl(bytes memory b) private pure returns (bool) {
        if (b.length == 0) return true;
        uint256 start;
        if (_hasPrefix(b, "https://")) start = 8;
        else if (_hasPrefix(b, "http://")) start = 7;
        else return false;
        if (b.length == start || b.length - start > 200) return false;
        for (uint256 i = start; i < b.length; ++i) if (uint8(b[i]) <= 32 || uint8(b[i]) == 127) return false;
        return true;
    }

    function _hasPrefix(bytes memory b, bytes memory prefix) private pure returns (bool) {
        if (b.length < prefix.length) return false;
        for (uint256 i = 0; i < prefix.length; ++i) if (b[i] != prefix[i]) return false;
        return true;
    }

    function _fields(
        bytes memory name,
        bytes memory skill,
        uint8 skillCount,
        uint8 mode,
        bytes memory region,
        bytes memory city,
        bytes memory url
    ) private pure returns (IDirectory.ProfileFields memory f) {
        f.displayName = string(name);
        f.skills = new string[](skillCount % 11);
        for (uint256 i = 0; i < f.skills.length; ++i) f.skills[i] = string(skill);
        f.workMode = IDirectory.WorkMode(mode % 4);
        f.region = string(region);
        f.city = string(city);
        f.contactUrl = string(url);
    }

    function _valid() private pure returns (IDirectory.ProfileFields memory f) {
        f = _fields("Alice", "voip", 1, uint8(IDirectory.WorkMode.Both), "CA-QC", unicode"Montréal", "https://a.example");
        f.hasCoordinates = true;
        f.latitudeE2 = 4550;
        f.longitudeE2 = -7357;
        f.radiusKm = 50;
    }

    function _publish(address member) private {
        vm.prank(member);
        directory.setProfile(_valid());
    }

    /// @dev `value` moved into -limit..limit.
    function _boundInt16(int16 value, uint256 limit) private pure returns (int16) {
        return int16(int256(bound(uint256(int256(value) + 32768), 32768 - limit, 32768 + limit)) - 32768);
    }

    function _repeat(bytes1 c, uint256 n) private pure returns (bytes memory b) {
        b = new bytes(n);
        for (uint256 i = 0; i < n; ++i) b[i] = c;
    }

    function _account(uint8 seed) private pure returns (address) {
        address[6] memory accounts = [ALICE, BOB, CAROL, DAVE, ERIN, STRANGER];
        return accounts[seed % 6];
    }

    function _isPartner(address account) private view returns (bool) {
        return firm.isActivePartner(account);
    }
}
