// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {IPractices} from "../../contracts/interfaces/IPractices.sol";
import {BooksFixture} from "./utils/BooksFixture.sol";
import {vm} from "./utils/Vm.sol";

// The seat checkpoints the books' pools read (issue 13): roleAt and roleCountsAt answer for any past
// second whatever changed since, and a departure takes the member out of every practice at once.
contract PracticesCheckpoints is BooksFixture {
    bytes32 internal constant NET = keccak256("net");
    bytes32 internal constant SEC = keccak256("sec");

    function _counts(uint256 timepoint) internal view returns (uint256 leads, uint256 members, uint256 technicians) {
        return practices.roleCountsAt(NET, timepoint);
    }

    function test_rolesAndCountsAreReadAsTheyWereAtEachTimepoint() public {
        uint256 seated = block.timestamp;
        vm.warp(seated + 10);
        practices.setPracticeMember("net", DAVE, IPartnership.PracticeRole.Member); // technician -> member
        vm.warp(seated + 20);
        practices.changePracticeLead("net", BOB); // Alice stays a member, Bob leads
        vm.warp(seated + 30);
        practices.removePracticeMember("net", ALICE);
        vm.warp(seated + 40);

        (uint256 l, uint256 m, uint256 t) = _counts(seated);
        assertEq(l * 100 + m * 10 + t, 111, "at setup: Alice leads, Bob member, Dave technician");
        (l, m, t) = _counts(seated + 10);
        assertEq(l * 100 + m * 10 + t, 120, "Dave promoted");
        (l, m, t) = _counts(seated + 20);
        assertEq(l * 100 + m * 10 + t, 120, "the lead changed hands: still one lead, two members");
        (l, m, t) = _counts(seated + 30);
        assertEq(l * 100 + m * 10 + t, 110, "Alice removed");

        assertTrue(practices.roleAt(NET, ALICE, seated + 19) == IPartnership.PracticeRole.Lead, "Alice led");
        assertTrue(practices.roleAt(NET, ALICE, seated + 20) == IPartnership.PracticeRole.Member, "then a member");
        assertTrue(practices.roleAt(NET, ALICE, seated + 30) == IPartnership.PracticeRole.None, "then gone");
        assertTrue(practices.roleAt(NET, BOB, seated + 20) == IPartnership.PracticeRole.Lead, "Bob leads");
        assertTrue(practices.roleAt(NET, DAVE, seated + 9) == IPartnership.PracticeRole.Technician, "Dave was a technician");
        assertTrue(practices.roleAt(NET, CAROL, seated + 30) == IPartnership.PracticeRole.None, "Carol never sat in net");
    }

    function test_aDepartureEmptiesEverySeatInTheSameSecond() public {
        // Bob sits in both practices; Dave (a technician in net) is seated in sec as well and then
        // taken out of net, so Dave's seat list was reordered before Dave leaves.
        practices.setPracticeMember("sec", BOB, IPartnership.PracticeRole.Technician);
        practices.setPracticeMember("sec", DAVE, IPartnership.PracticeRole.Member);
        practices.removePracticeMember("net", DAVE);
        vm.warp(block.timestamp + 5);
        firm.retire(BOB, address(0), address(0), 0);
        uint256 retiredAt = block.timestamp;
        assertTrue(practices.roleAt(NET, BOB, retiredAt - 1) == IPartnership.PracticeRole.Member, "seated until retiring");
        assertTrue(practices.roleAt(NET, BOB, retiredAt) == IPartnership.PracticeRole.None, "out of net at retirement");
        assertTrue(practices.roleAt(SEC, BOB, retiredAt) == IPartnership.PracticeRole.None, "out of sec at retirement");
        (, uint256 members, uint256 technicians) = practices.roleCountsAt(SEC, retiredAt);
        assertEq(members * 10 + technicians, 10, "sec counts Dave alone besides its lead");

        vm.warp(block.timestamp + 5);
        firm.remove(DAVE);
        assertTrue(practices.roleAt(SEC, DAVE, block.timestamp) == IPartnership.PracticeRole.None, "an associate too");
        (, members, technicians) = _counts(block.timestamp);
        assertEq(members + technicians, 0, "net keeps only its lead");
    }

    function test_aDepartingLeadHandsOverAndLeavesNoSeat() public {
        practices.setPracticeMember("sec", ALICE, IPartnership.PracticeRole.Member);
        firm.retire(ALICE, CAROL, address(0), 0);
        (, , address lead, , , ) = practices.practice("net");
        assertEq(lead, CAROL, "the successor leads net");
        assertTrue(practices.roleAt(NET, CAROL, block.timestamp) == IPartnership.PracticeRole.Lead, "seated as lead");
        assertTrue(practices.roleAt(NET, ALICE, block.timestamp) == IPartnership.PracticeRole.None, "Alice out of net");
        assertTrue(practices.roleAt(SEC, ALICE, block.timestamp) == IPartnership.PracticeRole.None, "and out of sec");
        (uint256 leads, , ) = _counts(block.timestamp);
        assertEq(leads, 1, "one lead");
    }

    function test_onlyThePartnershipReleasesADepartedMember() public {
        vm.prank(address(0xBEEF));
        vm.expectRevert(abi.encodeWithSelector(IPractices.PracticesUnauthorized.selector, address(0xBEEF)));
        practices.releaseDeparted(BOB, address(0));
        // The timelock is not the partnership either: a vote cannot empty a seat this way.
        vm.expectRevert(abi.encodeWithSelector(IPractices.PracticesUnauthorized.selector, address(this)));
        practices.releaseDeparted(BOB, address(0));
    }
}
