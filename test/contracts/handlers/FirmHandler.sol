// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Partnership} from "../../../contracts/Partnership.sol";
import {RevenueShare} from "../../../contracts/RevenueShare.sol";
import {IPartnership} from "../../../contracts/interfaces/IPartnership.sol";
import {vm} from "../utils/Vm.sol";
import {bound, toString} from "../utils/Assertions.sol";

// The actor of the invariant campaigns: a random walk over what a firm does (admissions, grants, time
// passing, releases, revocations, leave and cover (asked, accepted, resigned), leave rules,
// promotions, retirements with and without buy-back, removals, distributions and claims, and attempts
// to move equity).
//
// It is the firm's governance (the Partnership is deployed with this contract as `governance`), so it
// makes the timelock's calls directly. Beside the contracts it keeps its own model of the firm — who is
// a partner when, every leave window, every grant's terms and releases, what was burned, claimed and
// owed — and the invariants compare the contracts against that model.
//
// Every action must finish without reverting: the runner silently rolls back a reverted call, which
// would hide whatever went wrong in it. So each contract call is made in try/catch, its outcome is
// compared with what the model says it should be (accepted or rejected, and with what effect), and any
// disagreement is written to `violation[...]`, which the invariants require to stay empty.
contract FirmHandler {
    using {toString} for uint256;

    // One bucket per property, so each invariant fails only for the property it states. (Headcount,
    // ballots and snapshots are compared directly by their invariants, so they need no bucket.)
    enum Check {
        Grants,
        Supply,
        Votes,
        Distributions,
        Statuses,
        Equity,
        Buybacks,
        Leaves,
        Model
    }

    struct MemberModel {
        IPartnership.Role role;
        IPartnership.MemberStatus seen; // the status observed after the previous step
        IPartnership.MemberStatus finalStatus; // Retired or Removed once departed
        bool departed;
        uint48 partnerSince;
        uint48 partnerUntil; // 0 while still a partner
        uint256 burned;
    }

    struct LeaveModel {
        address partner;
        address cover; // the colleague asked, 0 for nobody
        uint48 from;
        uint48 until; // exclusive; moved back to the end time when a leave ends early
        // The accepted cover holds the ballot over [coverFrom, coverUntil); coverFrom 0: not accepted.
        // coverUntil moves back when the cover resigns or departs, or the leave ends early.
        uint48 coverFrom;
        uint48 coverUntil;
    }

    struct GrantModel {
        address beneficiary;
        uint64 units;
        uint48 start;
        uint48 cliffEnd;
        uint48 end;
        uint48 revokedAt;
        uint256 released;
        uint256 lastVested; // for the monotonicity check across steps
    }

    struct DistributionModel {
        uint256 amount;
        uint256 supply;
        uint256 claimed;
        uint256 snapshotId;
        uint48 deadline;
    }

    struct Checkpoint {
        uint48 time;
        uint256 totalVotes;
    }

    uint48 public constant MAX_LEAVE = 365 days;
    // The rules a new Partnership starts with (it emits them at deployment).
    uint48 public constant DEFAULT_MIN_LEAVE = 1 days;
    uint48 public constant DEFAULT_COOLDOWN = 7 days;
    uint48 public constant CLAIM_WINDOW = 30 days;
    // Bounds keep every loop in the checks short, so a campaign of a few thousand steps stays fast.
    uint256 public constant MAX_MEMBERS = 12;
    uint256 public constant MAX_GRANTS = 40;
    uint256 public constant MAX_DISTRIBUTIONS = 6;
    uint256 public constant MAX_CHECKPOINTS = 96;
    // Not a member and never admitted: used to check that calls about strangers are refused.
    address public constant STRANGER = address(0xBEEF);

    Partnership public firm;
    RevenueShare public revenue;
    // The walk's clock. Each action starts by warping here, so the walk never depends on whether the
    // runner carries a warp from one call to the next.
    uint48 public currentTime;
    uint256 public steps;

    address[] private _members;
    mapping(address account => MemberModel) private _model;
    LeaveModel[] private _leaves;
    GrantModel[] private _grants; // grant id - 1
    DistributionModel[] private _distributions; // distribution id - 1
    mapping(uint256 distributionId => mapping(address holder => uint256)) private _snapshotBalance;
    mapping(uint256 distributionId => mapping(address holder => bool)) private _claimed;
    Checkpoint[] private _checkpoints;
    mapping(uint256 checkpoint => mapping(address account => uint256)) private _votesAtCheckpoint;
    mapping(address account => uint256) public owed;

    // The leave rules in force, as the walk set them (setLeaveRules).
    uint48 public minLeave = DEFAULT_MIN_LEAVE;
    uint48 public cooldown = DEFAULT_COOLDOWN;

    uint256 public ghostReleased;
    uint256 public ghostBurned;
    uint256 public ghostOwedTotal;

    mapping(Check check => string) public violation;

    receive() external payable {}

    function founders() external pure returns (address[] memory accounts, uint64[] memory units) {
        accounts = new address[](3);
        units = new uint64[](3);
        for (uint256 i = 0; i < 3; ++i) {
            accounts[i] = _accountFor(i);
            units[i] = uint64(100 * (i + 1));
        }
    }

    // Called once by the test's setUp, right after it deployed `firm_` with this handler as governance
    // and the `founders()` above, in the same block.
    function init(Partnership firm_) external {
        require(address(firm) == address(0), "init once");
        firm = firm_;
        revenue = RevenueShare(firm_.revenueShare());
        currentTime = uint48(block.timestamp);
        (address[] memory accounts, uint64[] memory units) = this.founders();
        for (uint256 i = 0; i < accounts.length; ++i) {
            _addMember(accounts[i], IPartnership.Role.Partner);
            // Founders' stakes: start now, no cliff, one second long (see Partnership's constructor).
            _grants.push(
                GrantModel({
                    beneficiary: accounts[i],
                    units: units[i],
                    start: currentTime,
                    cliffEnd: currentTime,
                    end: currentTime + 1,
                    revokedAt: 0,
                    released: 0,
                    lastVested: 0
                })
            );
        }
        _afterStep();
    }

    // ==========================================================================================
    // Actions (the invariant runner calls only these; see FirmInvariants.targetSelectors)
    // ==========================================================================================

    modifier step(bool mayMint) {
        // Time passes between most actions (up to two days), but one in three happens in the same second
        // as the previous one: same-second sequences are where checkpoints and leave windows are subtle.
        // The explicit `warp` action adds long jumps and jumps onto cliffs, ends and deadlines.
        uint256 entropy = uint256(keccak256(abi.encode(msg.data, steps)));
        if (entropy % 3 != 0) currentTime += uint48(entropy % 2 days);
        vm.warp(currentTime);
        ++steps;
        uint256 supplyBefore = firm.totalSupply();
        _;
        // Property 8, second half: units appear only through release.
        if (!mayMint && firm.totalSupply() > supplyBefore) _flag(Check.Equity, "totalSupply rose outside release");
        _afterStep();
    }

    function warp(uint256 seed) external step(false) {
        uint256 mode = seed % 10;
        uint256 dt;
        if (mode == 0) dt = 0;
        else if (mode <= 3) dt = bound(_mix(seed, 1), 1, 1 hours);
        else if (mode <= 6) dt = bound(_mix(seed, 1), 1 hours, 30 days);
        else if (mode == 7) dt = bound(_mix(seed, 1), 30 days, 400 days);
        else dt = _toNextBoundary(_mix(seed, 1), mode == 9);
        currentTime += uint48(dt);
        vm.warp(currentTime);
    }

    function admit(
        uint256 roleSeed,
        uint256 unitsSeed,
        uint256 startSeed,
        uint256 cliffSeed,
        uint256 durationSeed
    ) external step(false) {
        if (_members.length >= MAX_MEMBERS) return;
        address account = _accountFor(_members.length);
        // Half the admissions are partners: partners are the ones who leave, cover and count.
        uint256 r = roleSeed % 4;
        IPartnership.Role role = r < 2 ? IPartnership.Role.Partner : IPartnership.Role(r);
        IPartnership.GrantTerms memory terms = _terms(unitsSeed, startSeed, cliffSeed, durationSeed);
        // A quarter of admissions come without a grant (units 0 means "no grant").
        if (unitsSeed % 4 == 0 || _grants.length >= MAX_GRANTS) terms.units = 0;
        try firm.admit(account, role, "", IPartnership.PracticeRole.None, terms) {
            _addMember(account, role);
            if (terms.units != 0) _recordGrant(account, terms);
        } catch {
            _flag(Check.Model, "admit refused a valid admission");
        }
        // Admitting the same account twice must fail.
        try firm.admit(account, role, "", IPartnership.PracticeRole.None, _noGrant()) {
            _flag(Check.Model, "admit accepted a member twice");
        } catch {}
    }

    function createGrant(
        uint256 memberSeed,
        uint256 unitsSeed,
        uint256 startSeed,
        uint256 cliffSeed,
        uint256 durationSeed
    ) external step(false) {
        if (_grants.length >= MAX_GRANTS) return;
        address beneficiary = memberSeed % 16 == 0 ? STRANGER : _pick(memberSeed);
        IPartnership.GrantTerms memory terms = _terms(unitsSeed, startSeed, cliffSeed, durationSeed);
        // One in eight grants is malformed on purpose: zero units, zero duration or a cliff past the end.
        uint256 broken = _mix(unitsSeed, 2) % 8;
        if (broken == 1) terms.units = 0;
        else if (broken == 2) terms.duration = 0;
        else if (broken == 3) terms.cliff = terms.duration + 1;
        bool valid = _isMember(beneficiary) &&
            !_model[beneficiary].departed &&
            terms.units != 0 &&
            terms.duration != 0 &&
            terms.cliff <= terms.duration;
        try firm.createGrant(beneficiary, terms) returns (uint256 id) {
            if (!valid) {
                _flag(Check.Model, "createGrant accepted an invalid grant");
                return;
            }
            _recordGrant(beneficiary, terms);
            if (id != _grants.length) _flag(Check.Model, "createGrant returned an unexpected id");
        } catch {
            if (valid) _flag(Check.Model, "createGrant refused a valid grant");
        }
    }

    function release(uint256 grantSeed) external step(true) {
        if (_grants.length == 0) return;
        // Three times in four, a grant with something to release (when there is one).
        uint256 id = grantSeed % 4 == 0 ? 0 : _pickGrantWhere(_mix(grantSeed, 12), _hasReleasable);
        if (id == 0) id = 1 + (grantSeed % _grants.length);
        GrantModel storage g = _grants[id - 1];
        uint256 expected = modelVested(id, currentTime) - g.released;
        uint256 balanceBefore = firm.balanceOf(g.beneficiary);
        uint256 supplyBefore = firm.totalSupply();
        uint256 votesBefore = firm.getVotes(g.beneficiary);
        try firm.release(id) returns (uint256 amount) {
            if (expected == 0) {
                _flag(Check.Model, "release minted although nothing had vested");
                return;
            }
            if (amount != expected) _flag(Check.Grants, "release minted other than vested minus released");
            if (firm.balanceOf(g.beneficiary) != balanceBefore + amount) _flag(Check.Supply, "release: balance off");
            if (firm.totalSupply() != supplyBefore + amount) _flag(Check.Supply, "release: supply off");
            if (firm.getVotes(g.beneficiary) != votesBefore) _flag(Check.Votes, "release moved votes");
            g.released += amount;
            ghostReleased += amount;
        } catch {
            if (expected != 0) _flag(Check.Model, "release refused a releasable grant");
        }
    }

    function revokeGrant(uint256 grantSeed) external step(false) {
        if (_grants.length == 0) return;
        uint256 id = grantSeed % 4 == 0 ? 0 : _pickGrantWhere(_mix(grantSeed, 13), _isOpen);
        if (id == 0) id = 1 + (grantSeed % _grants.length);
        GrantModel storage g = _grants[id - 1];
        bool valid = g.revokedAt == 0;
        uint256 votesBefore = firm.getVotes(g.beneficiary);
        uint256 forfeited = g.units - modelVested(id, currentTime);
        try firm.revokeGrant(id) {
            if (!valid) {
                _flag(Check.Model, "revokeGrant revoked a grant twice");
                return;
            }
            g.revokedAt = currentTime;
            if (firm.getVotes(g.beneficiary) + forfeited != votesBefore) {
                _flag(Check.Votes, "revokeGrant: votes did not fall by the unvested units");
            }
        } catch {
            if (valid) _flag(Check.Model, "revokeGrant refused an open grant");
        }
    }

    function declareLeave(uint256 partnerSeed, uint256 coverSeed, uint256 untilSeed) external step(false) {
        // Three times in four, draw among those who may leave, and a colleague who could accept, so
        // leaves and covers actually happen; one time in five, nobody is asked to cover.
        address partner = partnerSeed % 4 == 0 ? _pick(_mix(partnerSeed, 3)) : _pickWhere(_mix(partnerSeed, 3), _canLeave);
        if (partner == address(0)) return;
        address cover;
        uint256 coverMode = coverSeed % 5;
        if (coverMode == 1) cover = _pick(_mix(coverSeed, 4));
        else if (coverMode > 1) cover = _pickOther(_mix(coverSeed, 4), _canCover, partner);
        // Mostly short leaves (a year-long one blocks its partner and cover for most of a walk).
        uint256 shortest = minLeave == 0 ? 1 : minLeave;
        uint256 lengthMode = untilSeed % 4;
        uint256 until = currentTime +
            (lengthMode == 0 ? bound(_mix(untilSeed, 16), shortest, shortest + 1 days) : lengthMode == 3
                ? bound(_mix(untilSeed, 16), 30 days, MAX_LEAVE)
                : bound(_mix(untilSeed, 16), shortest, 30 days));
        // One in ten is too short (below the minimum, or ending now), one in ten too long.
        uint256 broken = _mix(untilSeed, 5) % 10;
        if (broken == 1) until = minLeave > 1 && untilSeed % 2 == 0 ? currentTime + minLeave - 1 : currentTime;
        else if (broken == 2) until = uint256(currentTime) + MAX_LEAVE + 1;
        bool valid = _canLeave(partner) &&
            // The colleague asked must be free to accept now: an active partner, not on leave, covering no one.
            (cover == address(0) || (cover != partner && _canCover(cover))) &&
            until > currentTime &&
            until >= uint256(currentTime) + minLeave &&
            until <= uint256(currentTime) + MAX_LEAVE;
        vm.prank(partner);
        try firm.declareLeave(uint48(until), cover) {
            if (!valid) {
                _flag(Check.Model, "declareLeave accepted an invalid leave");
                return;
            }
            _leaves.push(
                LeaveModel({partner: partner, cover: cover, from: currentTime, until: uint48(until), coverFrom: 0, coverUntil: 0})
            );
        } catch (bytes memory reason) {
            if (valid) _flag(Check.Model, string.concat("declareLeave refused a valid leave, error ", uint256(uint32(bytes4(reason))).toString()));
        }
    }

    function acceptCover(uint256 partnerSeed, uint256 coverSeed) external step(false) {
        // Three times in four, a leave waiting for its cover, accepted by the colleague asked.
        address partner = partnerSeed % 4 == 0 ? _pick(_mix(partnerSeed, 19)) : _pickWhere(_mix(partnerSeed, 19), _awaitsCover);
        if (partner == address(0)) return;
        (bool onLeave, uint256 leaveIndex) = _leaveOf(partner, currentTime);
        // One time in four each, try it in the last second of the leave, or in the second it lapses.
        uint256 edge = _mix(partnerSeed, 20) % 4;
        if (onLeave && edge >= 2) {
            _jumpTo(_leaves[leaveIndex].until - (edge == 2 ? 1 : 0));
            (onLeave, leaveIndex) = _leaveOf(partner, currentTime);
        }
        address asked = onLeave ? _leaves[leaveIndex].cover : address(0);
        address cover = coverSeed % 4 == 0 || asked == address(0) ? _pick(_mix(coverSeed, 21)) : asked;
        bool valid = onLeave &&
            asked != address(0) &&
            cover == asked &&
            _leaves[leaveIndex].coverFrom == 0 &&
            _canCover(cover);
        vm.prank(cover);
        try firm.acceptCover(partner) {
            if (!valid) {
                _flag(Check.Model, "acceptCover accepted a cover not asked or not free");
                return;
            }
            _leaves[leaveIndex].coverFrom = currentTime;
            _leaves[leaveIndex].coverUntil = _leaves[leaveIndex].until;
        } catch {
            if (valid) _flag(Check.Model, "acceptCover refused the colleague asked");
        }
    }

    function resignCover(uint256 coverSeed) external step(false) {
        address cover = coverSeed % 4 == 0 ? _pick(_mix(coverSeed, 22)) : _pickWhere(_mix(coverSeed, 22), _isCoveringNow);
        if (cover == address(0)) return;
        (bool covering, uint256 leaveIndex) = _coveringOf(cover, currentTime);
        vm.prank(cover);
        try firm.resignCover() {
            if (!covering) {
                _flag(Check.Model, "resignCover accepted a member covering no one");
                return;
            }
            _leaves[leaveIndex].coverUntil = currentTime;
        } catch {
            if (covering) _flag(Check.Model, "resignCover refused a cover");
        }
    }

    function endLeave(uint256 partnerSeed) external step(false) {
        address partner = partnerSeed % 4 == 0 ? _pick(_mix(partnerSeed, 6)) : _pickWhere(_mix(partnerSeed, 6), _isOnLeaveNow);
        if (partner == address(0)) return;
        (bool onLeave, uint256 leaveIndex) = _leaveOf(partner, currentTime);
        // One time in four each, try it in the last second of the leave, or in the second it lapses.
        uint256 edge = _mix(partnerSeed, 17) % 4;
        if (onLeave && edge >= 2) {
            _jumpTo(_leaves[leaveIndex].until - (edge == 2 ? 1 : 0));
            (onLeave, leaveIndex) = _leaveOf(partner, currentTime);
        }
        vm.prank(partner);
        try firm.endLeave() {
            if (!onLeave) {
                _flag(Check.Model, "endLeave accepted a partner not on leave");
                return;
            }
            _endLeaveNow(leaveIndex);
        } catch {
            if (onLeave) _flag(Check.Model, "endLeave refused a partner on leave");
        }
    }

    // The handler is the firm's governance, so it sets the leave rules directly: from 0/0 (dense
    // leave histories) to the defaults and beyond, and one time in eight out of range.
    function setLeaveRules(uint256 minSeed, uint256 cooldownSeed) external step(false) {
        uint48[4] memory mins = [uint48(0), 1 hours, DEFAULT_MIN_LEAVE, 3 days];
        uint48[4] memory cooldowns = [uint48(0), 1 days, DEFAULT_COOLDOWN, 30 days];
        uint48 newMin = mins[minSeed % 4];
        uint48 newCooldown = cooldowns[cooldownSeed % 4];
        uint256 broken = _mix(minSeed, 23) % 8;
        if (broken == 1) newMin = MAX_LEAVE + 1;
        else if (broken == 2) newCooldown = 365 days + 1;
        bool valid = newMin <= MAX_LEAVE && newCooldown <= 365 days;
        try firm.setLeaveRules(newMin, newCooldown) {
            if (!valid) {
                _flag(Check.Model, "setLeaveRules accepted rules out of range");
                return;
            }
            (minLeave, cooldown) = (newMin, newCooldown);
            (uint48 readMin, uint48 readCooldown) = firm.leaveRules();
            if (readMin != newMin || readCooldown != newCooldown) _flag(Check.Leaves, "leaveRules differ from what was set");
        } catch {
            if (valid) _flag(Check.Model, "setLeaveRules refused valid rules");
        }
    }

    function setRole(uint256 memberSeed, uint256 roleSeed) external step(false) {
        address account = _pick(memberSeed);
        if (account == address(0)) return;
        IPartnership.Role newRole = IPartnership.Role(roleSeed % 4);
        MemberModel storage m = _model[account];
        bool valid = !m.departed && newRole != IPartnership.Role.None && uint8(newRole) < uint8(m.role);
        try firm.setRole(account, newRole) {
            if (!valid) {
                _flag(Check.Model, "setRole accepted an invalid role change");
                return;
            }
            m.role = newRole;
            if (newRole == IPartnership.Role.Partner) m.partnerSince = currentTime;
        } catch {
            if (valid) _flag(Check.Model, "setRole refused a promotion");
        }
    }

    function retire(uint256 memberSeed, uint256 successorSeed, uint256 priceSeed) external step(false) {
        address account = _pick(memberSeed);
        if (account == address(0) || _keepPartners(account, memberSeed)) return;
        uint256 mode = successorSeed % 3;
        address successor = mode == 0 ? address(0) : mode == 1
            ? _pick(_mix(successorSeed, 7))
            : _pickWhere(_mix(successorSeed, 7), _isActivePartner);
        // Half the retirements buy the vested units back, for an ETH price.
        uint256 price = priceSeed % 2 == 0 ? 0 : bound(_mix(priceSeed, 8), 1, 100 ether);
        bool valid = !_model[account].departed &&
            (successor == address(0) || (successor != account && _isActivePartner(successor)));
        // What the buy-back burns: the balance plus everything vested and not yet released.
        uint256 toRelease = _releasableOf(account);
        uint256 toBurn = price == 0 ? 0 : firm.balanceOf(account) + toRelease;
        try firm.retire{value: price}(account, successor, address(0), price) {
            if (!valid) {
                _flag(Check.Model, "retire accepted an invalid retirement");
                return;
            }
            _depart(account, IPartnership.MemberStatus.Retired);
            if (price != 0) {
                _markAllReleased(account);
                ghostReleased += toRelease;
                ghostBurned += toBurn;
                _model[account].burned += toBurn;
                owed[account] += price;
                ghostOwedTotal += price;
                if (firm.balanceOf(account) != 0) _flag(Check.Supply, "retire: bought-back balance not burned");
                if (firm.getVotes(account) != 0) _flag(Check.Votes, "retire: bought-back votes remain");
            }
        } catch {
            if (valid) _flag(Check.Model, "retire refused a valid retirement");
        }
    }

    function remove(uint256 memberSeed) external step(false) {
        address account = memberSeed % 16 == 0 ? STRANGER : _pick(memberSeed);
        if (account == address(0) || _keepPartners(account, memberSeed)) return;
        bool valid = _isMember(account) && !_model[account].departed;
        try firm.remove(account) {
            if (!valid) {
                _flag(Check.Model, "remove accepted a non-member or a departed member");
                return;
            }
            _depart(account, IPartnership.MemberStatus.Removed);
        } catch {
            if (valid) _flag(Check.Model, "remove refused a current member");
        }
    }

    function withdrawBuyback(uint256 memberSeed) external step(false) {
        address account = memberSeed % 4 == 0 ? _pick(_mix(memberSeed, 14)) : _pickWhere(_mix(memberSeed, 14), _isOwed);
        if (account == address(0)) return;
        uint256 due = owed[account];
        uint256 before = account.balance;
        vm.prank(account);
        try firm.withdrawBuyback(address(0)) {
            if (due == 0) {
                _flag(Check.Buybacks, "withdrawBuyback paid although nothing was owed");
                return;
            }
            if (account.balance != before + due) _flag(Check.Buybacks, "withdrawBuyback paid the wrong amount");
            owed[account] = 0;
            ghostOwedTotal -= due;
        } catch {
            if (due != 0) _flag(Check.Buybacks, "withdrawBuyback refused what is owed");
        }
    }

    function createDistribution(uint256 amountSeed) external step(false) {
        if (_distributions.length >= MAX_DISTRIBUTIONS) return;
        uint256 amount = bound(amountSeed, 1, 1_000 ether);
        uint256 supply = firm.totalSupply();
        try revenue.createDistribution{value: amount}(address(0), amount) returns (uint256 id) {
            if (supply == 0) {
                _flag(Check.Model, "createDistribution accepted a zero supply");
                return;
            }
            (, , , uint256 snapshotId, , uint48 deadline) = revenue.distribution(id);
            _distributions.push(
                DistributionModel({amount: amount, supply: supply, claimed: 0, snapshotId: snapshotId, deadline: deadline})
            );
            if (id != _distributions.length) _flag(Check.Model, "createDistribution returned an unexpected id");
            if (deadline != currentTime + CLAIM_WINDOW) _flag(Check.Distributions, "unexpected claim deadline");
            // What each member holds at the snapshot: the claims and the snapshot checks compare with it.
            for (uint256 i = 0; i < _members.length; ++i) {
                _snapshotBalance[id][_members[i]] = firm.balanceOf(_members[i]);
            }
        } catch {
            if (supply != 0) _flag(Check.Model, "createDistribution refused a valid distribution");
        }
    }

    function claim(uint256 distributionSeed, uint256 holderSeed, bool forSomeoneElse) external step(false) {
        if (_distributions.length == 0) return;
        uint256 id = 1 + (distributionSeed % _distributions.length);
        address holder = holderSeed % 16 == 0 ? STRANGER : _pick(holderSeed);
        // Three times in four, a holder with an unclaimed share in it (when there is one).
        if (holderSeed % 4 != 0) {
            for (uint256 k = 0; k < _members.length; ++k) {
                address candidate = _members[(_mix(holderSeed, 15) + k) % _members.length];
                if (!_claimed[id][candidate] && _snapshotBalance[id][candidate] != 0) {
                    holder = candidate;
                    break;
                }
            }
        }
        if (holder == address(0)) return;
        DistributionModel storage d = _distributions[id - 1];
        _maybeJumpToDeadline(d.deadline, distributionSeed);
        uint256 share = (d.amount * _snapshotBalance[id][holder]) / d.supply;
        bool valid = !_claimed[id][holder] && currentTime <= d.deadline && share != 0;
        uint256 before = holder.balance;
        if (_tryClaim(id, holder, forSomeoneElse)) {
            if (!valid) {
                _flag(Check.Distributions, "claim paid an ineligible or already paid holder");
                return;
            }
            if (holder.balance != before + share) _flag(Check.Distributions, "claim paid other than the pro-rata share");
            _claimed[id][holder] = true;
            d.claimed += share;
            // Property 5: the same holder cannot claim twice, by either path.
            if (_tryClaim(id, holder, !forSomeoneElse)) _flag(Check.Distributions, "a holder claimed twice");
        } else if (valid) {
            _flag(Check.Distributions, "claim refused a valid claim");
        }
    }

    function reclaim(uint256 distributionSeed) external step(false) {
        if (_distributions.length == 0) return;
        uint256 id = 1 + (distributionSeed % _distributions.length);
        DistributionModel storage d = _distributions[id - 1];
        _maybeJumpToDeadline(d.deadline, distributionSeed);
        uint256 rest = d.amount - d.claimed;
        bool valid = currentTime > d.deadline && rest != 0;
        uint256 before = address(this).balance;
        try revenue.reclaim(id) returns (uint256 returned) {
            if (!valid) {
                _flag(Check.Distributions, "reclaim accepted an open or empty distribution");
                return;
            }
            if (returned != rest || address(this).balance != before + rest) {
                _flag(Check.Distributions, "reclaim returned other than the unclaimed rest");
            }
            d.claimed = d.amount;
        } catch {
            if (valid) _flag(Check.Distributions, "reclaim refused a closed distribution");
        }
    }

    // Property 8, first half: no path moves, approves or delegates equity.
    function tryToMoveEquity(uint256 kind, uint256 fromSeed, uint256 toSeed, uint256 amount) external step(false) {
        address from = _pick(fromSeed);
        address to = toSeed % 8 == 0 ? STRANGER : _pick(toSeed);
        if (from == address(0)) return;
        amount = bound(amount, 0, firm.balanceOf(from) + 1);
        bool moved;
        vm.prank(from);
        uint256 k = kind % 5;
        if (k == 0) {
            try firm.transfer(to, amount) returns (bool) {
                moved = true;
            } catch {}
        } else if (k == 1) {
            try firm.transferFrom(from, to, amount) returns (bool) {
                moved = true;
            } catch {}
        } else if (k == 2) {
            try firm.approve(to, amount) returns (bool) {
                moved = true;
            } catch {}
        } else if (k == 3) {
            try firm.delegate(to) {
                moved = true;
            } catch {}
        } else {
            try firm.delegateBySig(to, 0, block.timestamp + 1, 27, bytes32(amount), bytes32(amount)) {
                moved = true;
            } catch {}
        }
        if (moved) _flag(Check.Equity, "a transfer, approval or delegation succeeded");
    }

    // ==========================================================================================
    // The model, read by the invariants
    // ==========================================================================================

    function memberCount() external view returns (uint256) {
        return _members.length;
    }

    function memberAt(uint256 i) external view returns (address) {
        return _members[i];
    }

    function grantCount() external view returns (uint256) {
        return _grants.length;
    }

    function grant(uint256 id) external view returns (GrantModel memory) {
        return _grants[id - 1];
    }

    function distributionCount() external view returns (uint256) {
        return _distributions.length;
    }

    function distribution(uint256 id) external view returns (DistributionModel memory) {
        return _distributions[id - 1];
    }

    function snapshotBalance(uint256 id, address holder) external view returns (uint256) {
        return _snapshotBalance[id][holder];
    }

    function checkpointCount() external view returns (uint256) {
        return _checkpoints.length;
    }

    function checkpoint(uint256 i) external view returns (Checkpoint memory) {
        return _checkpoints[i];
    }

    function votesAtCheckpoint(uint256 i, address account) external view returns (uint256) {
        return _votesAtCheckpoint[i][account];
    }

    function burnedOf(address account) external view returns (uint256) {
        return _model[account].burned;
    }

    // Linear vesting from start to end, nothing before the cliff, frozen at revocation: the schedule
    // as the grant's documentation states it, computed from the terms the handler chose.
    function modelVested(uint256 id, uint256 t) public view returns (uint256) {
        GrantModel memory g = _grants[id - 1];
        if (g.revokedAt != 0 && t > g.revokedAt) t = g.revokedAt;
        if (t < g.cliffEnd) return 0;
        if (t >= g.end) return g.units;
        return (uint256(g.units) * (t - g.start)) / (g.end - g.start);
    }

    function modelStatus(address account) public view returns (IPartnership.MemberStatus) {
        MemberModel memory m = _model[account];
        if (m.role == IPartnership.Role.None) return IPartnership.MemberStatus.None;
        if (m.departed) return m.finalStatus;
        (bool onLeave, ) = _leaveOf(account, currentTime);
        return onLeave ? IPartnership.MemberStatus.OnLeave : IPartnership.MemberStatus.Active;
    }

    function modelPartnerAt(address account, uint256 t) public view returns (bool) {
        MemberModel memory m = _model[account];
        return m.partnerSince != 0 && m.partnerSince <= t && (m.partnerUntil == 0 || t < m.partnerUntil);
    }

    // Retired or removed (at any time up to now).
    function modelDeparted(address account) public view returns (bool) {
        return _model[account].departed;
    }

    function modelOnLeaveAt(address account, uint256 t) public view returns (bool onLeave) {
        (onLeave, ) = _leaveOf(account, t);
    }

    // Who holds `account`'s ballot at `t`: nobody unless they were a partner then and have not departed
    // since (Partnership.ballot's rule); then the cover who had accepted and was covering at `t`,
    // unless that cover has since departed (a departed cover cannot cast it); else the partner.
    function modelHolderAt(address account, uint256 t) public view returns (address) {
        if (!modelPartnerAt(account, t) || _model[account].departed) return address(0);
        for (uint256 i = 0; i < _leaves.length; ++i) {
            LeaveModel memory l = _leaves[i];
            if (l.partner == account && _coverRuns(l, t)) return _model[l.cover].departed ? account : l.cover;
        }
        return account;
    }

    // The partner whose ballot `cover` held as an accepted cover at `t`, if any (seats aside).
    function modelCoveredAt(address cover, uint256 t) public view returns (address partner) {
        (bool covering, uint256 i) = _coveringOf(cover, t);
        if (covering) partner = _leaves[i].partner;
    }

    // The latest leave `partner` declared, if any: what leaveOf must answer.
    function modelLatestLeave(address partner) external view returns (bool any, LeaveModel memory leave) {
        return _latestLeave(partner);
    }

    function leaveCount() external view returns (uint256) {
        return _leaves.length;
    }

    // Property 6's reference: partners at `t`, on leave or not (every partner's ballot has a holder,
    // so a leave never moves the base), counted member by member.
    function modelHeadcount(uint256 t) external view returns (uint256 count) {
        for (uint256 i = 0; i < _members.length; ++i) {
            if (modelPartnerAt(_members[i], t)) ++count;
        }
    }

    // ==========================================================================================
    // Internal
    // ==========================================================================================

    // Observes the firm after every action: status edges (property 7), vesting monotonicity
    // (property 2 along the walk), and a checkpoint of every member's votes for the history checks.
    function _afterStep() private {
        for (uint256 i = 0; i < _members.length; ++i) {
            address account = _members[i];
            MemberModel storage m = _model[account];
            (, IPartnership.MemberStatus status, , , , ) = firm.memberOf(account);
            if (status != m.seen && !_allowedEdge(m.seen, status)) {
                _flag(
                    Check.Statuses,
                    string.concat("illegal status change ", uint256(m.seen).toString(), " -> ", uint256(status).toString())
                );
            }
            if (status != modelStatus(account)) _flag(Check.Statuses, "status differs from the model");
            m.seen = status;
            _checkLeaves(account);
        }
        for (uint256 id = 1; id <= _grants.length; ++id) {
            GrantModel storage g = _grants[id - 1];
            uint256 vested = firm.vestedAt(id, currentTime);
            if (vested < g.lastVested) _flag(Check.Grants, "vested decreased as time passed");
            if (currentTime < g.cliffEnd && vested != 0) _flag(Check.Grants, "vested before the cliff");
            g.lastVested = vested;
        }
        _recordCheckpoint();
    }

    function _recordCheckpoint() private {
        uint256 n = _checkpoints.length;
        uint256 index;
        if (n != 0 && _checkpoints[n - 1].time == currentTime) {
            index = n - 1;
        } else if (n < MAX_CHECKPOINTS) {
            index = n;
            _checkpoints.push(Checkpoint({time: currentTime, totalVotes: 0}));
        } else {
            return;
        }
        uint256 total;
        for (uint256 i = 0; i < _members.length; ++i) {
            uint256 v = firm.getVotes(_members[i]);
            _votesAtCheckpoint[index][_members[i]] = v;
            total += v;
        }
        _checkpoints[index].totalVotes = total;
    }

    // None -> Active; Active <-> OnLeave; Active | OnLeave -> Retired | Removed. Nothing else.
    function _allowedEdge(IPartnership.MemberStatus from, IPartnership.MemberStatus to) private pure returns (bool) {
        if (from == IPartnership.MemberStatus.None) return to == IPartnership.MemberStatus.Active;
        if (from == IPartnership.MemberStatus.Active) return to != IPartnership.MemberStatus.None;
        if (from == IPartnership.MemberStatus.OnLeave) {
            return
                to == IPartnership.MemberStatus.Active ||
                to == IPartnership.MemberStatus.Retired ||
                to == IPartnership.MemberStatus.Removed;
        }
        return false; // Retired and Removed are final
    }

    function _depart(address account, IPartnership.MemberStatus to) private {
        MemberModel storage m = _model[account];
        (bool onLeave, uint256 leaveIndex) = _leaveOf(account, currentTime);
        if (onLeave) _endLeaveNow(leaveIndex);
        // A departing cover hands the ballot back: the cover ends now, the leave goes on.
        (bool covering, uint256 coveredIndex) = _coveringOf(account, currentTime);
        if (covering) _leaves[coveredIndex].coverUntil = currentTime;
        if (m.role == IPartnership.Role.Partner) m.partnerUntil = currentTime;
        m.departed = true;
        m.finalStatus = to;
        for (uint256 id = 1; id <= _grants.length; ++id) {
            GrantModel storage g = _grants[id - 1];
            if (g.beneficiary == account && g.revokedAt == 0) g.revokedAt = currentTime;
        }
    }

    function _releasableOf(address account) private view returns (uint256 total) {
        for (uint256 id = 1; id <= _grants.length; ++id) {
            GrantModel memory g = _grants[id - 1];
            if (g.beneficiary == account) total += modelVested(id, currentTime) - g.released;
        }
    }

    function _markAllReleased(address account) private {
        for (uint256 id = 1; id <= _grants.length; ++id) {
            GrantModel storage g = _grants[id - 1];
            if (g.beneficiary == account) g.released = modelVested(id, currentTime);
        }
    }

    function _recordGrant(address beneficiary, IPartnership.GrantTerms memory terms) private {
        uint48 start = terms.start == 0 ? currentTime : terms.start;
        _grants.push(
            GrantModel({
                beneficiary: beneficiary,
                units: terms.units,
                start: start,
                cliffEnd: start + terms.cliff,
                end: start + terms.duration,
                revokedAt: 0,
                released: 0,
                lastVested: 0
            })
        );
    }

    function _addMember(address account, IPartnership.Role role) private {
        _members.push(account);
        MemberModel storage m = _model[account];
        m.role = role;
        if (role == IPartnership.Role.Partner) m.partnerSince = currentTime;
    }

    function _tryClaim(uint256 id, address holder, bool forSomeoneElse) private returns (bool ok) {
        if (forSomeoneElse) {
            try revenue.claimFor(id, holder) returns (uint256) {
                ok = true;
            } catch {}
        } else {
            vm.prank(holder);
            try revenue.claim(id) returns (uint256) {
                ok = true;
            } catch {}
        }
    }

    // Random but well-formed terms: up to a million units over up to four years, starting now, in
    // the past (up to two years back) or in the future (up to a year ahead).
    function _terms(
        uint256 unitsSeed,
        uint256 startSeed,
        uint256 cliffSeed,
        uint256 durationSeed
    ) private view returns (IPartnership.GrantTerms memory terms) {
        terms.units = uint64(bound(unitsSeed, 1, 1_000_000));
        terms.duration = uint32(bound(durationSeed, 1, 4 * 365 days));
        terms.cliff = uint32(bound(cliffSeed, 0, terms.duration));
        uint256 mode = startSeed % 4;
        if (mode == 0) terms.start = 0; // "now"
        else if (mode == 1) terms.start = uint48(currentTime - bound(_mix(startSeed, 9), 0, 2 * 365 days));
        else if (mode == 2) terms.start = uint48(currentTime + bound(_mix(startSeed, 9), 0, 365 days));
        else terms.start = currentTime;
    }

    function _noGrant() private pure returns (IPartnership.GrantTerms memory terms) {}

    // Seconds to the next interesting instant (a cliff, a grant's end, a leave's end, a claim
    // deadline), or one second before it, so the walk lands exactly on the boundaries.
    function _toNextBoundary(uint256 seed, bool oneBefore) private view returns (uint256) {
        uint256 best = type(uint256).max;
        uint256 n = _grants.length + _leaves.length + _distributions.length;
        if (n == 0) return 1;
        // Start from a random item and take the first boundary in the future, so every kind gets picked.
        for (uint256 k = 0; k < n; ++k) {
            uint256 i = (seed + k) % n;
            uint256 t;
            if (i < _grants.length) {
                GrantModel memory g = _grants[i];
                t = _mix(seed, 10) % 2 == 0 ? g.cliffEnd : g.end;
            } else if (i < _grants.length + _leaves.length) {
                // A leave's end, or the end of the cooldown after it.
                t = _leaves[i - _grants.length].until + (_mix(seed, 24) % 2 == 0 ? 0 : cooldown);
            } else {
                t = uint256(_distributions[i - _grants.length - _leaves.length].deadline) + 1;
            }
            if (oneBefore && t != 0) --t;
            if (t > currentTime) {
                best = t;
                break;
            }
        }
        return best == type(uint256).max ? 1 : best - currentTime;
    }

    // Moves the walk's clock forward to `t` (never back).
    function _jumpTo(uint256 t) private {
        if (t > currentTime) {
            currentTime = uint48(t);
            vm.warp(t);
        }
    }

    // One time in four each, act in the last second of the claim window, or in the first after it.
    function _maybeJumpToDeadline(uint48 deadline, uint256 seed) private {
        uint256 edge = _mix(seed, 18) % 4;
        if (edge >= 2) _jumpTo(uint256(deadline) + (edge == 2 ? 0 : 1));
    }

    function _leaveOf(address partner, uint256 t) private view returns (bool, uint256) {
        for (uint256 i = 0; i < _leaves.length; ++i) {
            LeaveModel memory l = _leaves[i];
            if (l.partner == partner && l.from <= t && t < l.until) return (true, i);
        }
        return (false, 0);
    }

    function _isMember(address account) private view returns (bool) {
        return _model[account].role != IPartnership.Role.None;
    }

    function _isActivePartner(address account) private view returns (bool) {
        MemberModel memory m = _model[account];
        return m.role == IPartnership.Role.Partner && !m.departed;
    }

    // Departures come as often as admissions in a uniform walk, which would empty the firm within a
    // few dozen steps and leave nothing to vote, cover or share. So a partner leaves only while at least
    // three others stay, except one time in eight (the last partners do leave sometimes).
    function _keepPartners(address account, uint256 seed) private view returns (bool) {
        if (!_isActivePartner(account) || _mix(seed, 11) % 8 == 0) return false;
        uint256 active;
        for (uint256 i = 0; i < _members.length; ++i) {
            if (_isActivePartner(_members[i])) ++active;
        }
        return active <= 3;
    }

    function _isOnLeaveNow(address account) private view returns (bool) {
        return modelOnLeaveAt(account, currentTime);
    }

    function _isCoveringNow(address account) private view returns (bool covering) {
        (covering, ) = _coveringOf(account, currentTime);
    }

    // An active partner, not on leave, covering no one, and past the cooldown after their last leave.
    function _canLeave(address account) private view returns (bool) {
        if (!_isActivePartner(account) || _isOnLeaveNow(account) || _isCoveringNow(account)) return false;
        for (uint256 i = _leaves.length; i > 0; --i) {
            LeaveModel memory l = _leaves[i - 1];
            if (l.partner == account) return uint256(currentTime) >= uint256(l.until) + cooldown;
        }
        return true;
    }

    // Who may accept a cover now: an active partner, not on leave, covering no one.
    function _canCover(address account) private view returns (bool) {
        return _isActivePartner(account) && !_isOnLeaveNow(account) && !_isCoveringNow(account);
    }

    // On leave now, with a colleague asked who has not accepted yet.
    function _awaitsCover(address account) private view returns (bool) {
        (bool onLeave, uint256 i) = _leaveOf(account, currentTime);
        return onLeave && _leaves[i].cover != address(0) && _leaves[i].coverFrom == 0;
    }

    function _latestLeave(address partner) private view returns (bool any, LeaveModel memory leave) {
        for (uint256 i = _leaves.length; i > 0; --i) {
            if (_leaves[i - 1].partner == partner) return (true, _leaves[i - 1]);
        }
    }

    // leaveOf and coveringOf, now, against the model.
    function _checkLeaves(address account) private {
        (, LeaveModel memory l) = _latestLeave(account);
        (address cover, uint48 from, uint48 until, bool inForce, uint48 coverFrom, uint48 coverUntil) = firm.leaveOf(account);
        if (cover != l.cover || from != l.from || until != l.until || inForce != (currentTime < l.until)) {
            _flag(Check.Leaves, "leaveOf differs from the latest leave");
        }
        if (coverFrom != l.coverFrom || coverUntil != l.coverUntil) _flag(Check.Leaves, "leaveOf's cover window differs from the model");
        if (firm.coveringOf(account) != modelCoveredAt(account, currentTime)) _flag(Check.Leaves, "coveringOf differs from the model");
    }

    function _coverRuns(LeaveModel memory l, uint256 t) private pure returns (bool) {
        return l.coverFrom != 0 && l.coverFrom <= t && t < l.coverUntil;
    }

    // The leave whose ballot `cover` held as an accepted cover at `t`.
    function _coveringOf(address cover, uint256 t) private view returns (bool, uint256) {
        for (uint256 i = 0; i < _leaves.length; ++i) {
            LeaveModel memory l = _leaves[i];
            if (l.cover == cover && _coverRuns(l, t)) return (true, i);
        }
        return (false, 0);
    }

    // Ends leave `i` now, and its cover with it if that still runs.
    function _endLeaveNow(uint256 i) private {
        LeaveModel storage l = _leaves[i];
        l.until = currentTime;
        if (l.coverFrom != 0 && currentTime < l.coverUntil) l.coverUntil = currentTime;
    }

    function _pickOther(
        uint256 seed,
        function(address) view returns (bool) accept,
        address other
    ) private view returns (address) {
        uint256 n = _members.length;
        for (uint256 k = 0; k < n; ++k) {
            address candidate = _members[(seed + k) % n];
            if (candidate != other && accept(candidate)) return candidate;
        }
        return address(0);
    }

    function _pickGrantWhere(uint256 seed, function(uint256) view returns (bool) accept) private view returns (uint256) {
        uint256 n = _grants.length;
        for (uint256 k = 0; k < n; ++k) {
            uint256 id = 1 + ((seed + k) % n);
            if (accept(id)) return id;
        }
        return 0;
    }

    function _hasReleasable(uint256 id) private view returns (bool) {
        return modelVested(id, currentTime) > _grants[id - 1].released;
    }

    function _isOpen(uint256 id) private view returns (bool) {
        return _grants[id - 1].revokedAt == 0;
    }

    function _isOwed(address account) private view returns (bool) {
        return owed[account] != 0;
    }

    function _pick(uint256 seed) private view returns (address) {
        if (_members.length == 0) return address(0);
        return _members[seed % _members.length];
    }

    function _pickWhere(uint256 seed, function(address) view returns (bool) accept) private view returns (address) {
        uint256 n = _members.length;
        for (uint256 k = 0; k < n; ++k) {
            address candidate = _members[(seed + k) % n];
            if (accept(candidate)) return candidate;
        }
        return address(0);
    }

    // A second, independent draw from one fuzzed value. The runner favours small and repeated values
    // (its dictionary), for which `seed >> k` is almost always 0; hashing spreads them out.
    function _mix(uint256 seed, uint256 salt) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    function _accountFor(uint256 i) private pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("firm member", i)))));
    }

    // Keeps the first violation of each property: the message says what broke, and at what time.
    function _flag(Check check, string memory what) private {
        if (bytes(violation[check]).length == 0) {
            violation[check] = string.concat(what, " (t=", uint256(currentTime).toString(), ")");
        }
    }
}
