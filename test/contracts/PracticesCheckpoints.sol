// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPartnership} from "../../contracts/interfaces/IPartnership.sol";
import {IPractices} from "../../contracts/interfaces/IPractices.sol";
import {BooksFixture} from "./utils/BooksFixture.sol";
import {vm} from "./utils/Vm.sol";

// The seat checkpoints the books' pools read (issue 13): roleAt and roleCountsAt answer for any past
// second whatever changed since, and releaseSeat takes out only a member who has left the firm.
contract PracticesCheckpoints is BooksFixture {
    bytes32 internal constant NET = keccak256("net");

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

    function test_releaseSeatOnlyForADepartedMemberAndByAnyone() public {
        vm.prank(CAROL);
        vm.expectRevert(abi.encodeWithSelector(IPractices.PracticeMemberNotDeparted.selector, BOB));
        practices.releaseSeat("net", BOB);
        firm.retire(BOB, address(0), address(0), 0);
        uint256 retiredAt = block.timestamp;
        vm.warp(retiredAt + 5);
        // A stranger releases the seat: a departed member keeps none, so no later pool counts them.
        vm.prank(address(0xBEEF));
        practices.releaseSeat("net", BOB);
        assertTrue(practices.roleAt(NET, BOB, retiredAt) == IPartnership.PracticeRole.Member, "seated until released");
        assertTrue(practices.roleAt(NET, BOB, block.timestamp) == IPartnership.PracticeRole.None, "released");
        (, uint256 members, ) = _counts(block.timestamp);
        assertEq(members, 0, "no member left in net's count");
        vm.expectRevert(abi.encodeWithSelector(IPractices.PracticeNotMember.selector, NET, BOB));
        practices.releaseSeat("net", BOB);
    }
}
