def act_as(user, committee):
    """Give ``user`` its role in ``committee`` as the active one (as the middleware would)."""
    role = user.role_assignments.get(committee=committee)
    user.active_role = role
    return user
