from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import ProfileForm
from .services import update_profile


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("account_login")


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html")


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, rep=request.user)
    if request.method == "POST" and form.is_valid():
        update_profile(request.user, **form.cleaned_data)
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})
